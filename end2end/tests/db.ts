import Database from "better-sqlite3";
import { Client } from "pg";
import { project } from "./project";

/**
 * Runs one statement against the database the running test's server uses. Write SQL both
 * backends accept, with `$1`-style placeholders (turned into `?` for SQLite), and pass times
 * as parameters made by `dbTime` rather than calling `now()`. Times read back are `Date`s on
 * PostgreSQL and RFC 3339 text on SQLite: read them with `new Date(…)`.
 */
export async function query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const { backend, database } = project();
  if (backend === "sqlite") return sqliteQuery<T>(database, sql, params);
  const client = new Client({ connectionString: database });
  await client.connect();
  try {
    const result = await client.query(sql, params);
    return result.rows as T[];
  } finally {
    await client.end();
  }
}

function sqliteQuery<T>(file: string, sql: string, params: unknown[]): T[] {
  // `$n` may repeat or come out of order; `?` binds by position.
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    ordered.push(params[Number(n) - 1]);
    return "?";
  });
  // The server holds the file open in WAL mode; wait for its writer rather than fail.
  const db = new Database(file, { fileMustExist: true, timeout: 10_000 });
  try {
    const statement = db.prepare(text);
    if (statement.reader) return statement.all(...ordered) as T[];
    statement.run(...ordered);
    return [];
  } finally {
    db.close();
  }
}

/**
 * A time as both backends store it: SQLite keeps fixed-width RFC 3339 text (microseconds, `Z`)
 * so that text order is time order, and PostgreSQL reads the same text into a `timestamptz`.
 */
export function dbTime(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
