import { expect, test, type Page } from "@playwright/test";
import { dbTime, query } from "./db";
import { standinUrl } from "./project";
import { signIn, watchForProblems } from "./support";

const tiles = [
  "leads",
  "book_rate",
  "time_to_book_p50",
  "time_to_book_p90",
  "reschedule_rate",
  "cancellation_rate",
  "no_show_rate",
  "outcome_coverage",
  "funnel_invited",
  "funnel_booked",
  "funnel_rescheduled",
  "funnel_completed",
  "funnel_cancelled",
  "funnel_no_show",
];

/** A lead of its own source, created now, as the form would store it. */
async function seedLead(source: string): Promise<string> {
  const id = crypto.randomUUID();
  await query(
    `insert into leads (submission_id, name, email, message, consented_at, source, stage, created_at, invited_at)
     values ($1, 'Dana Dashboard', 'dana@example.com', 'Seeded for the dashboard test.', $3, $2, 'invited', $3, $3)`,
    [id, source, dbTime(new Date())],
  );
  return id;
}

const tile = (page: Page, key: string) => page.locator(`[data-tile="${key}"]`);
const value = (page: Page, key: string) => tile(page, key).locator(".tile-value");

test("every tile has a value and its formula on hover and keyboard focus", async ({ page }, info) => {
  const problems = await watchForProblems(page);
  await signIn(page, "/dashboard?days=30");
  for (const key of tiles) {
    await expect(value(page, key)).not.toBeEmpty();
    await expect(tile(page, key).locator(".formula")).toHaveText(/=/);
  }
  const formula = tile(page, "book_rate").locator(".formula");
  await expect(formula).toBeHidden();
  await tile(page, "book_rate").hover();
  await expect(formula).toBeVisible();
  await expect(formula).toContainText("leads with a booking ÷ leads created in the window");
  await page.mouse.move(0, 0);
  await tile(page, "no_show_rate").focus();
  await expect(tile(page, "no_show_rate").locator(".formula")).toBeVisible();
  await expect(page.locator(".trend svg")).toBeVisible();
  await page.screenshot({ path: info.outputPath("dashboard.png"), fullPage: true });
  expect(await problems()).toEqual([]);
});

test("changing the window and the source updates the numbers in place, and the URL", async ({ page }) => {
  const source = `picker-${Date.now()}`;
  await seedLead(source);
  await signIn(page, "/dashboard?days=30");
  // Marks this document: a full page load would lose it.
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

  await page.getByLabel("Window", { exact: true }).selectOption("7");
  await expect(page).toHaveURL(/\/dashboard\?days=7$/);
  await expect(page.getByTestId("window")).toContainText("(7 days)");

  await page.getByLabel("Source", { exact: true }).selectOption(source);
  await expect(page).toHaveURL(new RegExp(`days=7&source=${source}$`));
  await expect(value(page, "leads")).toHaveText("1");
  await expect(value(page, "book_rate")).toHaveText("0.0 %");

  await page.getByLabel("From", { exact: true }).fill("2020-01-01");
  await page.getByLabel("To", { exact: true }).fill("2020-01-31");
  await expect(page).toHaveURL(/from=2020-01-01&to=2020-01-31/);
  await expect(value(page, "leads")).toHaveText("0");
  await expect(value(page, "book_rate")).toHaveText("—");
  await expect(page.getByTestId("sources")).toContainText("No leads in this window.");

  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  // A reload shows the same view.
  await page.reload();
  await expect(value(page, "leads")).toHaveText("0");
  await expect(page.getByLabel("From", { exact: true })).toHaveValue("2020-01-01");
});

test("a signed webhook updates an open dashboard live", async ({ page }) => {
  const source = `live-${Date.now()}`;
  const id = await seedLead(source);
  await signIn(page, `/dashboard?days=7&source=${source}`);
  await expect(value(page, "book_rate")).toHaveText("0.0 %");
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

  // Cal.com (the stand-in) books the lead and sends its signed BOOKING_CREATED to the app.
  const booked = await page.request.post(`${standinUrl()}/standin/api/bookings`, {
    data: { name: "Dana Dashboard", email: "dana@example.com", metadata: { submissionId: id } },
  });
  expect(booked.ok(), await booked.text()).toBeTruthy();
  const answer = await booked.json();
  expect(answer.deliveries[0].status).toBe(200);

  await expect(value(page, "book_rate")).toHaveText("100.0 %", { timeout: 2_000 });
  await expect(value(page, "funnel_booked")).toHaveText("1");
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
});
