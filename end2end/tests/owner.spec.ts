import { expect, test } from "@playwright/test";
import { waitForHydration, watchForProblems } from "./support";

const email = process.env.E2E_OWNER_EMAIL as string;
const password = process.env.E2E_OWNER_PASSWORD as string;

test("signed out, the dashboard sends you to sign in, and owner functions answer 401", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin\?next=%2Fdashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  const me = await page.request.post("/api/owner/me");
  expect(me.status()).toBe(401);
});

test("an owner signs in, sees the dashboard, and signs out", async ({ page }) => {
  const problems = await watchForProblems(page, {
    expectedConsoleErrors: [/status of 401/],
  });
  await page.goto("/signin?next=%2Fdashboard");
  await waitForHydration(page);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("do not match");
  await expect(page).toHaveURL(/\/signin/);

  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  const cookie = (await page.context().cookies()).find((c) => c.name === "handoff_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
  expect((await page.request.post("/api/owner/me")).status()).toBe(200);

  await waitForHydration(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin\?next=%2Fdashboard$/);
  expect((await page.request.post("/api/owner/me")).status()).toBe(401);
  expect(await problems()).toEqual([]);
});
