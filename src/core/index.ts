/** The core's public surface, used by the extension and the command line alike. */
export * from './types';
export * from './errors';
export { normalizeOrgUrl, adminConsoleOrigin } from './orgUrl';
export { monthWindow, retainedMonths, currentMonth, RETENTION_DAYS, type MonthWindow } from './month';
export { countMau, checkCredential } from './count';
export { MAX_RATE_WAIT_MS, type RateMemory } from './rateBudget';
export { formatReport, reportToCsv, reportToJson, reportToTable, type ReportFormat } from './format';
export {
  newVersusReturning,
  activityExtremes,
  monthSeries,
  monthOverMonth,
  previousMonth,
  type MonthSummary,
  type MonthOverMonthRow,
  type NewVersusReturning,
} from './history';
export { countedUpTo, coveredPercent, coveredUntil, formatNumber, REPORT_LOCALE } from './reportFacts';
export { definitionSuffix, type Definition } from './definition';
export {
  DEFINITION_PRESETS,
  DEFAULT_PRESET_ID,
  PRESET_IDS,
  definitionName,
  definitionPreset,
  describeDefinition,
  isPresetId,
  presetDefinition,
  type DefinitionId,
  type DefinitionPreset,
  type DefinitionSummary,
  type PresetId,
} from './definitions';
export {
  checkUsersListing,
  listingSummary,
  mergeUsers,
  planListing,
  DEFAULT_FULL_LISTING_MAX_AGE_MS,
  DEFAULT_LISTING_OVERLAP_MS,
  USERS_LISTING_VERSION,
  type ListingCheck,
  type ListingPlan,
  type ListingSummary,
  type UsersListing,
} from './userListing';
