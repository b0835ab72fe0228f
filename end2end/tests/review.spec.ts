import { expect, test, type Locator, type Page } from "@playwright/test";
import { standinUrl } from "./project";
import { noSidewaysScroll, signIn, waitForHydration, watchForProblems } from "./support";

// The review queue end to end: a visitor books through the Cal.com stand-in, which (as if
// Cal.com had lost the embed's metadata) sends the booking without the submission id; the
// server holds it and, with HELD_EVENT_REVIEW_MINUTES=0 for these servers, raises it on
// /review at once. The owner finds it, searches for the lead (the attendee's email is already
// in the box), links it; the open dashboard counts the booking live and /audit shows who did it.

const booker = (page: Page) => page.frameLocator("#cal-booker iframe");
const tileValue = (page: Page, key: string) => page.locator(`[data-tile="${key}"] .tile-value`);

/** The visitor's part: the form (from a source of this test's own), then the booker. */
async function bookWithoutSubmissionId(page: Page, source: string, email: string): Promise<string> {
  await page.goto(`/?utm_source=${source}`);
  await waitForHydration(page);
  await page.getByLabel("Your name").fill("Rita Review");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("What do you need?").fill("A second opinion on a quote.");
  await page.getByLabel("You may contact me about this request.").check();
  await page.getByRole("button", { name: "Continue to booking" }).click();
  await expect(page).toHaveURL(/\/book\/[0-9a-f-]{36}$/);
  await expect(page.locator(".booker")).toHaveAttribute("data-embed", "ready");
  await booker(page).getByTestId("lose-metadata").check();
  await booker(page).getByTestId("slot").first().click();
  await booker(page).getByTestId("confirm").click();
  await expect(booker(page).getByTestId("booked")).toBeVisible();
  return ((await booker(page).getByTestId("booking-uid").textContent()) ?? "").trim();
}

/** The queue's item for booking `uid`, once the queue has raised it. */
async function itemFor(page: Page, uid: string): Promise<Locator> {
  const item = page.getByTestId("review-item").filter({ hasText: uid });
  await expect(async () => {
    await page.goto("/review?kind=held_event");
    await expect(item).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  return item;
}

test("a booking that lost its submission id is found on /review, linked, counted live and audited", async ({
  context,
  page,
}, info) => {
  test.setTimeout(90_000);
  const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const source = `review-${stamp}`;
  const email = `rita.${stamp}@example.com`;
  const uid = await bookWithoutSubmissionId(page, source, email);
  expect(uid).toMatch(/^[A-Za-z0-9]{22}$/);

  // The owner's dashboard for this source: the lead came in, nothing is booked yet.
  await signIn(page, `/dashboard?days=7&source=${source}`);
  await expect(tileValue(page, "leads")).toHaveText("1");
  await expect(tileValue(page, "book_rate")).toHaveText("0.0 %");
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

  const review = await context.newPage();
  const problems = await watchForProblems(review);
  await review.setViewportSize({ width: 1280, height: 900 });
  let item = await itemFor(review, uid);
  await waitForHydration(review);
  await expect(item).toContainText("Held event");
  await expect(item.getByTestId("attendee")).toContainText(email);
  await expect(item.locator("details summary")).toHaveText("The body as received");
  await expect(review.getByTestId("review-count")).toBeVisible();
  await expect(review.getByTestId("unsigned-refused")).toContainText("unsigned deliveries refused in the last 24 h");
  const search = item.getByLabel("Find a lead");
  await expect(search).toHaveValue(email);
  await review.screenshot({ path: info.outputPath("review-desktop.png"), fullPage: true });

  await item.getByRole("button", { name: "Search" }).click();
  await expect(review).toHaveURL(/find=held/);
  await waitForHydration(review);
  item = review.getByTestId("review-item").filter({ hasText: uid });
  const match = item.getByTestId("lead-match").filter({ hasText: "Rita Review" });
  await expect(match).toHaveCount(1);
  await expect(match).toContainText(email);
  await review.screenshot({ path: info.outputPath("review-search-desktop.png"), fullPage: true });
  await match.getByRole("button", { name: "Link and apply" }).click();

  await expect(review.getByTestId("review-flash")).toContainText("linked to the lead and applied");
  await expect(review.getByTestId("review-item").filter({ hasText: uid })).toHaveCount(0);

  // The open dashboard counts the booking without a reload.
  await expect(tileValue(page, "book_rate")).toHaveText("100.0 %", { timeout: 5_000 });
  await expect(tileValue(page, "funnel_booked")).toHaveText("1");
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

  await review.getByRole("link", { name: "Audit" }).click();
  await expect(review).toHaveURL(/\/audit$/);
  const entry = review.getByTestId("audit-entry").first();
  await expect(entry).toContainText(process.env.E2E_OWNER_EMAIL as string);
  await expect(entry).toContainText("linked and applied");
  await expect(entry).toContainText("booked");
  await review.screenshot({ path: info.outputPath("audit-desktop.png"), fullPage: true });

  await review.setViewportSize({ width: 390, height: 844 });
  await noSidewaysScroll(review);
  await review.screenshot({ path: info.outputPath("audit-phone.png"), fullPage: true });
  expect(await problems()).toEqual([]);
});

test("signed out, /review and /audit send you to sign in", async ({ page }) => {
  await page.goto("/review");
  await expect(page).toHaveURL(/\/signin\?next=%2Freview$/);
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/signin\?next=%2Faudit$/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the queue's forms post and come back saying what happened, or why not", async ({ page }) => {
    // Two bookings Cal.com sent without a submission id, for nobody we know.
    const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const uids: string[] = [];
    for (const n of [1, 2]) {
      const booked = await page.request.post(`${standinUrl()}/standin/api/bookings`, {
        data: { name: `Nobody ${n}`, email: `nobody.${n}.${stamp}@example.com`, loseMetadata: true },
      });
      expect(booked.ok(), await booked.text()).toBeTruthy();
      uids.push((await booked.json()).booking.uid);
    }
    await page.goto("/signin?next=%2Freview%3Fkind%3Dheld_event");
    await page.getByLabel("Email").fill(process.env.E2E_OWNER_EMAIL as string);
    await page.getByLabel("Password").fill(process.env.E2E_OWNER_PASSWORD as string);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/review\?kind=held_event$/);
    const [first, second] = [await itemFor(page, uids[0]), await itemFor(page, uids[1])];

    await first.getByLabel("Reason").fill("a test booking");
    await first.getByRole("button", { name: "Discard" }).click();
    await expect(page.getByTestId("review-flash")).toContainText(": discarded.");
    await expect(page.getByTestId("review-item").filter({ hasText: uids[0] })).toHaveCount(0);

    // Someone else settles the second item meanwhile; this page's form is now out of date.
    const id = (await second.getAttribute("data-item-id")) as string;
    const elsewhere = await page.request.post(`/api/review/${encodeURIComponent(id)}`, {
      form: { action: "discard", reason: "settled elsewhere" },
    });
    expect(elsewhere.ok(), await elsewhere.text()).toBeTruthy();
    await second.getByLabel("Reason").fill("too late");
    await second.getByRole("button", { name: "Discard" }).click();
    await expect(page.getByTestId("review-problem")).toContainText("was resolved already");
    await expect(page.getByText("\"error\"")).toHaveCount(0);

    await page.goto("/review?cursor=nope");
    await expect(page.getByRole("alert")).toContainText("That view cannot be shown");
  });
});
