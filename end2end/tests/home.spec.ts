import { expect, test } from "@playwright/test";
import { waitForHydration, watchForProblems } from "./support";

test("the home page hydrates and responds, with no CSP violation", async ({ page }) => {
  const problems = await watchForProblems(page);
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  expect(response?.headers()["content-security-policy"]).toContain("'nonce-");

  await waitForHydration(page);
  const name = page.getByLabel("Your name");
  await name.focus();
  await name.blur();
  await expect(page.locator("#name-error")).toHaveText("Enter your name");

  expect(await problems()).toEqual([]);
});

test("without the wasm the page stays server-rendered and inert", async ({ page }) => {
  await page.route("**/*.wasm", (route) => route.abort());
  // Hydration has had its chance once the page's script has asked for the wasm and been
  // refused, and the document has finished loading.
  const wasmRefused = page.waitForEvent("requestfailed", (r) => new URL(r.url()).pathname.endsWith(".wasm"));
  await page.goto("/", { waitUntil: "load" });
  await wasmRefused;
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("main")).toHaveAttribute("data-hydrated", "false");
  const name = page.getByLabel("Your name");
  await name.focus();
  await name.blur();
  await expect(page.locator("#name-error")).toBeEmpty();
});

test("an unknown page answers 404 with a link back, with no CSP violation", async ({ page }) => {
  const problems = await watchForProblems(page, {
    expectedConsoleErrors: [/^Failed to load resource: the server responded with a status of 404/],
  });
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await waitForHydration(page);
  await page.getByRole("link", { name: "Go to the start" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByLabel("Your name")).toBeVisible();
  expect(await problems()).toEqual([]);
});

test("an unknown or malformed booking link answers 404 with a link back", async ({ page }) => {
  for (const path of ["/book/00000000-0000-4000-8000-000000000000", "/book/not-an-id"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("link", { name: "Go to the start" })).toBeVisible();
  }
});
