import { defineConfig } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";

// The release server runs against a throwaway PostgreSQL database made for this run (and
// dropped by global-teardown.ts). Workers inherit these variables, so tests can query the
// same database.
const port = Number(process.env.E2E_PORT ?? 3100);
const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
if (!process.env.E2E_DATABASE_URL) {
  const name = `handoff_e2e_${process.pid}_${Date.now()}`;
  execFileSync("psql", [adminUrl, "-qc", `create database ${name}`], { stdio: "inherit" });
  process.env.E2E_DATABASE_NAME = name;
  process.env.E2E_DATABASE_URL = adminUrl.replace(/\/[^/]*$/, `/${name}`);
}
process.env.E2E_BASE_URL = `http://127.0.0.1:${port}`;
// The local Cal.com stand-in: serves the real embed script and the booker, and sends the
// signed webhooks to the server under test.
const standinPort = Number(process.env.E2E_STANDIN_PORT ?? 4010);
process.env.E2E_STANDIN_URL = `http://127.0.0.1:${standinPort}`;
const webhookSecret = "e2e-webhook-secret";
const calLink = "demo/intro";
process.env.E2E_OWNER_EMAIL = "owner@acme.example";
process.env.E2E_OWNER_PASSWORD = "correct horse battery staple";
const root = resolve(__dirname, "..");

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
    baseURL: process.env.E2E_BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
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
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: [
    {
      command: `${join(root, "target/debug/calcom-standin")} serve`,
      cwd: root,
      url: `${process.env.E2E_STANDIN_URL}/embed/embed.js`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        STANDIN_LISTEN: `127.0.0.1:${standinPort}`,
        STANDIN_WEBHOOK_URL: `${process.env.E2E_BASE_URL}/api/webhooks/cal-com`,
        CAL_WEBHOOK_SECRETS: webhookSecret,
        CAL_LINK: calLink,
        RUST_LOG: "warn",
      },
    },
    {
      command: join(root, "target/release/server"),
      cwd: root,
      url: `${process.env.E2E_BASE_URL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        DATABASE_URL: process.env.E2E_DATABASE_URL,
        LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
        LEPTOS_SITE_ROOT: join(root, "target/site"),
        LEPTOS_SITE_PKG_DIR: "pkg",
        LEPTOS_OUTPUT_NAME: "handoff",
        CAL_WEBHOOK_SECRETS: webhookSecret,
        CAL_LINK: calLink,
        CAL_ORIGIN: process.env.E2E_STANDIN_URL,
        CAL_EMBED_SCRIPT_URL: `${process.env.E2E_STANDIN_URL}/embed/embed.js`,
        // Browser tests type faster than people and all come from one address; the spam
        // controls themselves are covered by the HTTP tests.
        INTAKE_MIN_FILL_SECONDS: "0",
        INTAKE_RATE_LIMIT_PER_HOUR: "0",
        OWNER_EMAIL: process.env.E2E_OWNER_EMAIL,
        OWNER_PASSWORD: process.env.E2E_OWNER_PASSWORD,
        RUST_LOG: "warn",
      },
    },
  ],
});
