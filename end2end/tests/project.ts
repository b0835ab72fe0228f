import { test } from "@playwright/test";

/** The database backend a Playwright project's server runs on. */
export type Backend = "postgres" | "sqlite";

/** What a spec learns of its project (set in playwright.config.ts). */
export type ProjectMetadata = {
  backend: Backend;
  /** The Cal.com stand-in wired to this project's server. */
  standinUrl: string;
  /** `postgres://…`, or the SQLite file's path. */
  database: string;
};

/** The running test's project; only inside a test or a hook. */
export function project(): ProjectMetadata {
  return test.info().project.metadata as ProjectMetadata;
}

/** The Cal.com stand-in of the running test's project. */
export function standinUrl(): string {
  return project().standinUrl;
}
