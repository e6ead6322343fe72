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
export { countedUpTo, coveredPercent, formatNumber, REPORT_LOCALE } from './reportFacts';
