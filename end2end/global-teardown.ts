import { execFileSync } from "node:child_process";

/** Drops the run's throwaway database (made in playwright.config.ts). */
export default function globalTeardown(): void {
  const name = process.env.E2E_DATABASE_NAME;
  if (!name) return;
  const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  execFileSync("psql", [adminUrl, "-qc", `drop database if exists ${name} with (force)`], {
    stdio: "inherit",
  });
}
