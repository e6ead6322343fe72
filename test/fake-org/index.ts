/**
 * The fake Okta org used by the tests, the demo and the benchmarks: a loopback server that
 * behaves like Okta's System Log, legacy Events API, Users API and OAuth token endpoint, plus a
 * seeded generator whose ground truth is computed independently of the product.
 */
export { startFakeOrg } from './server';
export { closedPortUrl } from './closedPort';
export { generateMonth, generateMonthStore, monthBounds, type GenerateOptions, type GeneratedMonth, type TokenGrantOptions } from './generator';
export { CUSTOMER_IDENTITY_EVENT_TYPES, groundTruth, SIGN_IN_EVENT_TYPES, type GroundTruth, type TruthUser, type TruthWindow } from './truth';
export { USER_GRANT_TYPES } from './render';
export { generateUsers, USER_STATUSES, type DirectoryOptions } from './users';
export { dormantUsers, inactiveInMonth, type DormantQuery, type InactiveQuery } from './users-truth';
export { makeOAuthClient, signClientAssertion, type AssertionOptions, type TestOAuthClient } from './oauth';
export { getAll, getPage, linkOf, urlWith, type Page } from './http-client';
export { compileFilter, FilterError } from './filter';
export { toLegacy, legacyObjectType, type LegacyEvent } from './events-api';
export type * from './types';
export type { ApiNonceOptions } from './dpop';
