/** Gathers a statement's inputs from a card through the app protocol: every history row of the
 *  period in the currency (query-history, page by page) and the friend's last signed move token
 *  (query-friend-token). Browser-safe: the wallet and tests use it alike. */
import type { AppClient, HistoryEntry } from '../app/index.ts';
import { MAX_STATEMENT_LINES, type Statement, buildStatement } from './statement.ts';

export interface StatementRequest {
  readonly friend: Uint8Array;
  readonly currency: string;
  readonly from: number;
  readonly to: number;
  /** When the statement is made (ms); the caller's clock. */
  readonly now: number;
}

export async function exportStatement(
  client: Pick<AppClient, 'report' | 'queryHistory' | 'queryFriendToken'>, req: StatementRequest,
): Promise<{ statement: Statement; unbacked: readonly HistoryEntry[] }> {
  const rows: HistoryEntry[] = [];
  let cursor: HistoryEntry | undefined;
  for (;;) {
    const page = await client.queryHistory({
      currency: req.currency, from: req.from, to: req.to, order: 'asc', limit: 256,
      cursor: cursor === undefined ? undefined : { time: cursor.time, id: cursor.id },
    });
    rows.push(...page.rows);
    cursor = page.rows[page.rows.length - 1];
    // more rows than one statement holds: the statement covers the first ones (buildStatement cuts)
    if (page.next === undefined || cursor === undefined || rows.length > 4 * MAX_STATEMENT_LINES) break;
  }
  const friendToken = await client.queryFriendToken(req.friend);
  return buildStatement({
    card: client.report.localPublicKey, friend: req.friend, currency: req.currency, from: req.from, to: req.to,
    createdAt: req.now, history: rows, friendToken,
  });
}
