import { defineConfig } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ProjectMetadata } from "./tests/project";

// Two projects, one per database backend, each with its own release server and its own Cal.com
// stand-in (a stand-in sends its webhooks to one server). The PostgreSQL database and the
// SQLite folder are made for this run and removed by global-teardown.ts. Workers load this
// file again and inherit these variables, so they make nothing twice and tests reach the same
// databases (see tests/db.ts).
const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
if (!process.env.E2E_DATABASE_URL) {
  const name = `handoff_e2e_${process.pid}_${Date.now()}`;
  execFileSync("psql", [adminUrl, "-qc", `create database ${name}`], { stdio: "inherit" });
  process.env.E2E_DATABASE_NAME = name;
  process.env.E2E_DATABASE_URL = adminUrl.replace(/\/[^/]*$/, `/${name}`);
}
if (!process.env.E2E_SQLITE_DIR) {
  process.env.E2E_SQLITE_DIR = mkdtempSync(join(tmpdir(), "handoff-e2e-"));
  process.env.E2E_SQLITE_DIR_MADE = "1";
}
process.env.E2E_OWNER_EMAIL = "owner@acme.example";
process.env.E2E_OWNER_PASSWORD = "correct horse battery staple";
const webhookSecret = "e2e-webhook-secret";
const calLink = "demo/intro";
const root = resolve(__dirname, "..");

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const postgresUrl = process.env.E2E_DATABASE_URL;
const sqliteFile = join(process.env.E2E_SQLITE_DIR, "handoff.sqlite3");
const backends = [
  {
    backend: "postgres" as const,
    port: port("E2E_PORT", 3100),
    standinPort: port("E2E_STANDIN_PORT", 4010),
    databaseUrl: postgresUrl,
    database: postgresUrl,
  },
  {
    backend: "sqlite" as const,
    port: port("E2E_SQLITE_PORT", 3101),
    standinPort: port("E2E_SQLITE_STANDIN_PORT", 4011),
    databaseUrl: `sqlite://${sqliteFile}`,
    database: sqliteFile,
  },
].map((b) => ({ ...b, standinUrl: `http://127.0.0.1:${b.standinPort}` }));

const baseUrl = (b: { port: number }) => `http://127.0.0.1:${b.port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: true,
  retries: 0,
  workers: 2,
  reporter: [["list"]],
  outputDir: "test-results",
  globalTeardown: "./global-teardown.ts",
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    browserName: "chromium",
    launchOptions: {
      // Browsers cannot be downloaded here: use Debian's chromium.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: backends.map((b) => ({
    name: b.backend,
    // Every spec on PostgreSQL; on SQLite (what scripts/run.sh uses) every spec that stores,
    // reads or shows data. The form's look and the bare pages do not depend on the backend.
    testMatch:
      b.backend === "postgres"
        ? "**/*.spec.ts"
        : ["**/booking.spec.ts", "**/dashboard*.spec.ts", "**/intake.spec.ts", "**/leads.spec.ts", "**/owner.spec.ts", "**/review.spec.ts"],
    use: { baseURL: baseUrl(b) },
    metadata: { backend: b.backend, standinUrl: b.standinUrl, database: b.database } satisfies ProjectMetadata,
  })),
  webServer: backends.flatMap((b) => [
    {
      command: `${join(root, "target/debug/calcom-standin")} serve`,
      cwd: root,
      url: `${b.standinUrl}/embed/embed.js`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore" as const,
      stderr: "pipe" as const,
      env: {
        STANDIN_LISTEN: `127.0.0.1:${b.standinPort}`,
        STANDIN_WEBHOOK_URL: `${baseUrl(b)}/api/webhooks/cal-com`,
        CAL_WEBHOOK_SECRETS: webhookSecret,
        CAL_LINK: calLink,
        RUST_LOG: "warn",
      },
    },
    {
      command: join(root, "target/release/server"),
      cwd: root,
      url: `${baseUrl(b)}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore" as const,
      stderr: "pipe" as const,
      env: {
        DATABASE_URL: b.databaseUrl,
        LEPTOS_SITE_ADDR: `127.0.0.1:${b.port}`,
        LEPTOS_SITE_ROOT: join(root, "target/site"),
        LEPTOS_SITE_PKG_DIR: "pkg",
        LEPTOS_OUTPUT_NAME: "handoff",
        CAL_WEBHOOK_SECRETS: webhookSecret,
        CAL_LINK: calLink,
        CAL_ORIGIN: b.standinUrl,
        CAL_EMBED_SCRIPT_URL: `${b.standinUrl}/embed/embed.js`,
        // Each server its own spool, removed with the run's folder.
        WEBHOOK_SPOOL_DIR: join(process.env.E2E_SQLITE_DIR as string, `spool-${b.backend}`),
        // Browser tests type faster than people and all come from one address; the spam
        // controls themselves are covered by the HTTP tests.
        INTAKE_MIN_FILL_SECONDS: "0",
        INTAKE_RATE_LIMIT_PER_HOUR: "0",
        // Every spec signs in afresh, from one address, within the hour.
        SIGNIN_ATTEMPTS_PER_HOUR: "1000",
        // A booking that lost its submission id is held; review.spec.ts needs it in the review
        // queue at once, not after half an hour.
        HELD_EVENT_REVIEW_MINUTES: "0",
        OWNER_EMAIL: process.env.E2E_OWNER_EMAIL,
        OWNER_PASSWORD: process.env.E2E_OWNER_PASSWORD,
        RUST_LOG: "warn",
      },
    },
  ]),
});
