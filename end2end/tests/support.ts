import { expect, type Page } from "@playwright/test";

/**
 * Records Content-Security-Policy violations and console errors from the moment the page
 * starts loading, so a test can assert there were none. `expectedConsoleErrors` lists what a
 * test provokes on purpose (e.g. Chromium's console line for a page answered 404).
 */
export async function watchForProblems(
  page: Page,
  options: { expectedConsoleErrors?: RegExp[] } = {},
): Promise<() => Promise<string[]>> {
  const expected = options.expectedConsoleErrors ?? [];
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" && !expected.some((pattern) => pattern.test(text))) {
      consoleErrors.push(text);
    }
  });
  page.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
  return async () => {
    const violations = await page.evaluate(
      () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
    );
    return [...violations.map((v) => `CSP: ${v}`), ...consoleErrors];
  };
}

/** Waits until the wasm has hydrated the page (an attribute only a browser effect sets). */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator("main")).toHaveAttribute("data-hydrated", "true");
}

/** Signs the test's owner in through the form and lands, hydrated, on `next`. */
export async function signIn(page: Page, next: string): Promise<void> {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await waitForHydration(page);
  await page.getByLabel("Email").fill(process.env.E2E_OWNER_EMAIL as string);
  await page.getByLabel("Password").fill(process.env.E2E_OWNER_PASSWORD as string);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(next.replace(/[?]/g, "\\?")));
  await waitForHydration(page);
}

/** Nothing on the page is wider than the window. */
export async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}
