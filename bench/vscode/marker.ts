/** The prefix of the one console line each bench suite prints with its numbers (no `vscode` import: the runner reads it too). */
export const RESULT_MARKER = 'OKTA_MAU_BENCH_RESULT ';
