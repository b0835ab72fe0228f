import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

/** Drops the run's throwaway PostgreSQL database and removes its SQLite folder (both made in playwright.config.ts). */
export default function globalTeardown(): void {
  const dir = process.env.E2E_SQLITE_DIR;
  if (dir && process.env.E2E_SQLITE_DIR_MADE === "1") rmSync(dir, { recursive: true, force: true });
  const name = process.env.E2E_DATABASE_NAME;
  if (!name) return;
  const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  execFileSync("psql", [adminUrl, "-qc", `drop database if exists ${name} with (force)`], {
    stdio: "inherit",
  });
}
