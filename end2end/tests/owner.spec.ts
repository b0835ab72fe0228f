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

test("an overlong password is refused with a message, and the form stays usable", async ({ page }, info) => {
  const problems = await watchForProblems(page, { expectedConsoleErrors: [/status of 400/] });
  await page.goto("/signin");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("p".repeat(1025));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("longer than any account's");
  await page.screenshot({ path: info.outputPath("signin-overlong.png"), fullPage: true });
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  expect(await problems()).toEqual([]);
});

test("the password field looks like the email field", async ({ page }) => {
  await page.goto("/signin");
  const look = (selector: string) =>
    page.locator(selector).evaluate((input) => {
      const style = getComputedStyle(input);
      return {
        height: input.getBoundingClientRect().height,
        width: input.getBoundingClientRect().width,
        border: `${style.borderTopWidth} ${style.borderTopStyle} ${style.borderTopColor}`,
        padding: style.padding,
        radius: style.borderTopLeftRadius,
        font: style.fontSize,
      };
    });
  const email = await look("#signin-email");
  expect(email.height).toBeGreaterThanOrEqual(44);
  expect(await look("#signin-password")).toEqual(email);
});

test("owner pages have the owner frame, visitor pages keep theirs", async ({ page }) => {
  const visitorNote = "Your details are only used to prepare your call.";
  await page.goto("/signin?next=%2Fdashboard");
  await waitForHydration(page);
  await expect(page.locator("footer")).not.toContainText(visitorNote);
  await expect(page.locator("footer")).toContainText("Owner area");
  await expect(page.locator("header").getByRole("link", { name: "Dashboard" })).toHaveAttribute("href", "/dashboard");

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bookings");
  await expect(page.locator("footer")).toContainText("Owner area");
  await expect(page.locator("footer")).not.toContainText(visitorNote);

  for (const path of ["/", "/thanks", "/no-such-page"]) {
    await page.goto(path);
    await expect(page.locator("footer"), path).toHaveText(visitorNote);
    await expect(page.locator("header").getByRole("link", { name: "Dashboard" }), path).toHaveCount(0);
  }
});
