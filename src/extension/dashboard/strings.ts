/**
 * The dashboard's words, localised on the extension side (the webview has no `vscode.l10n`). `{0}`
 * marks a value. A count of things has a key for one and a key for many (`userOne`, `userMany`): the
 * webview picks by the number, as `n === 1 ? vscode.l10n.t('1 user') : …` does on the extension side.
 */
import * as vscode from 'vscode';

export function dashboardStrings(): Record<string, string> {
  return {
    title: vscode.l10n.t('Okta MAU Dashboard'),
    month: vscode.l10n.t('Month'),
    mauPerMonth: vscode.l10n.t('Monthly active users'),
    dailyActive: vscode.l10n.t('Daily active users in {0}'),
    newVsReturning: vscode.l10n.t('New and returning users'),
    mostActive: vscode.l10n.t('Most active users'),
    leastActive: vscode.l10n.t('Least active users'),
    mau: vscode.l10n.t('MAU'),
    newUsers: vscode.l10n.t('New'),
    returning: vscode.l10n.t('Returning'),
    lapsed: vscode.l10n.t('Lapsed'),
    comparedWith: vscode.l10n.t('compared with {0}'),
    comparedSameSpan: vscode.l10n.t('compared with the same span of {0} ({1}: {2}), not the whole month'),
    previousNotCounted: vscode.l10n.t('previous month not counted ({0}): count it to see new and returning users'),
    previousShort: vscode.l10n.t('{0} was counted only to {1}: count it again to compare like for like'),
    peakDay: vscode.l10n.t('Peak day'),
    complete: vscode.l10n.t('complete'),
    partial: vscode.l10n.t('partial'),
    partialLegend: vscode.l10n.t('* partial month: the System Log keeps 90 days, older events are gone'),
    partialNote: vscode.l10n.t('Partial: {0}'),
    completeNote: vscode.l10n.t('Complete'),
    soFar: vscode.l10n.t('{0} so far · to {1}'),
    toDateLabel: vscode.l10n.t('{0} (to {1})'),
    toDateLegend: vscode.l10n.t('{0} is counted only to {1}: its bar shows users so far, not a whole month'),
    monthToDate: vscode.l10n.t('Month to date: events up to {0}'),
    counting: vscode.l10n.t('Counting {0}: {1} so far · {2}% covered'),
    refreshing: vscode.l10n.t('Refreshing {0}: {1} so far · {2}% covered'),
    waiting: vscode.l10n.t('waiting for the rate limit ({0} s)'),
    liveBar: vscode.l10n.t('counting…'),
    counted: vscode.l10n.t('counted {0}'),
    refreshed: vscode.l10n.t('refreshed {0} (only events published since the previous count were fetched)'),
    timesUtc: vscode.l10n.t('times in UTC'),
    eventOne: vscode.l10n.t('1 sign-in event'),
    eventMany: vscode.l10n.t('{0} sign-in events'),
    requestOne: vscode.l10n.t('1 request'),
    requestMany: vscode.l10n.t('{0} requests'),
    userOne: vscode.l10n.t('1 user'),
    userMany: vscode.l10n.t('{0} users'),
    user: vscode.l10n.t('User'),
    login: vscode.l10n.t('Login'),
    sessions: vscode.l10n.t('Sessions'),
    activeDays: vscode.l10n.t('Active days'),
    lastSeen: vscode.l10n.t('Last seen (UTC)'),
    users: vscode.l10n.t('users'),
    recount: vscode.l10n.t('Recount'),
    noData: vscode.l10n.t('No saved counts for {0} yet: run "Okta: Count MAUs".'),
    noOrg: vscode.l10n.t('No Okta org is set up yet: run "Okta: Add Org".'),
  };
}
