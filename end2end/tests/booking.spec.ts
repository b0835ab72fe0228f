import { expect, test, type Page } from "@playwright/test";
import { dbTime, query } from "./db";
import { standinUrl } from "./project";
import { waitForHydration, watchForProblems } from "./support";

// The booking page against the local Cal.com stand-in, which serves the real
// @calcom/embed-core script and a booker that speaks its protocol and sends signed webhooks.

/** A time column: a `Date` from PostgreSQL, RFC 3339 text from SQLite. */
type DbTime = Date | string;

type Booking = {
  stage: string;
  booking_status: string | null;
  booking_uid: string | null;
  booking_start: DbTime | null;
  booking_end: DbTime | null;
  attendee_time_zone: string | null;
  location: string | null;
  first_booked_at: DbTime | null;
  reschedule_count: number;
  cancellation_reason: string | null;
  invited_at: DbTime | null;
};

async function bookingOf(id: string): Promise<Booking> {
  const rows = await query<Booking>(
    `select stage, booking_status, booking_uid, booking_start, booking_end, attendee_time_zone,
            location, first_booked_at, reschedule_count, cancellation_reason, invited_at
       from leads where submission_id = $1`,
    [id],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

/** Fills the intake form and lands on the booking page; answers the submission id. */
async function submitLead(page: Page, name: string): Promise<string> {
  await page.goto("/");
  await waitForHydration(page);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill("lena.horvat@example.com");
  await page.getByLabel("What do you need?").fill("An estimate for a bathroom refit.");
  await page.getByLabel("You may contact me about this request.").check();
  await page.getByRole("button", { name: "Continue to booking" }).click();
  await expect(page).toHaveURL(/\/book\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split("/").pop() as string;
}

/** Stores a lead straight in the database, as the form would; answers its submission id. */
async function seedLead(name: string): Promise<string> {
  const id = crypto.randomUUID();
  await query(
    `insert into leads (submission_id, name, email, message, consented_at, source, stage, created_at)
     values ($1, $2, 'seeded@example.com', 'Seeded for a browser test.', $3, 'direct', 'new', $3)`,
    [id, name, dbTime(new Date())],
  );
  return id;
}

/** The time of day of `at` in `timeZone`, as the page writes it ("09:00"). */
function clockTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
}

async function standinAction(page: Page, uid: string, action: string, body: object = {}) {
  const response = await page.request.post(`${standinUrl()}/standin/api/bookings/${uid}/${action}`, {
    data: body,
  });
  expect(response.ok(), await response.text()).toBeTruthy();
  return response.json();
}

const status = (page: Page) => page.getByTestId("booking-status");
const fallback = (page: Page) => page.getByTestId("booking-fallback");
const booker = (page: Page) => page.frameLocator("#cal-booker iframe");

test.describe("the round trip", () => {
  test.use({ timezoneId: "America/New_York" });

  test("form → embed → booked in the lead's time zone → rescheduled → cancelled", async ({ page }, info) => {
    const problems = await watchForProblems(page);
    const id = await submitLead(page, "Lena Horvat");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thanks, Lena");
    expect((await bookingOf(id)).stage).toBe("invited");

    // The real embed-core puts the stand-in's booker inside our page, prefilled.
    await expect(page.locator(".booker")).toHaveAttribute("data-embed", "ready");
    await expect(fallback(page)).toBeHidden();
    await expect(booker(page).getByLabel("Your name")).toHaveValue("Lena Horvat");
    await expect(booker(page).getByLabel("Email address")).toHaveValue("lena.horvat@example.com");
    // Not a full-page capture, which can resize the window: embed.js 1.5.3 redraws its loading
    // skeleton over the booker when a resize crosses its 768px breakpoint, and leaves it there.
    await page.screenshot({ path: info.outputPath("booking-embed.png") });
    await booker(page).getByTestId("slot").first().click();
    await booker(page).getByTestId("confirm").click();

    await expect(status(page)).toContainText("Confirming your booking…");
    await expect(status(page)).toContainText("You're booked");

    const booked = await bookingOf(id);
    expect(booked).toMatchObject({
      stage: "booked",
      booking_status: "booked",
      attendee_time_zone: "America/New_York",
      reschedule_count: 0,
      cancellation_reason: null,
    });
    expect(booked.booking_uid).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(booked.booking_start).not.toBeNull();
    expect(booked.booking_end).not.toBeNull();
    expect(booked.first_booked_at).not.toBeNull();
    expect(booked.location).toBeTruthy();

    const start = new Date(booked.booking_start as DbTime);
    const shown = status(page).locator("time");
    await expect(shown).toHaveAttribute("datetime", start.toISOString().replace(".000Z", "Z"));
    await expect(shown).toContainText(`${clockTime(start, "America/New_York")}–`);
    await expect(shown).toContainText("(America/New_York)");
    await expect(page.locator(".booker")).toBeHidden();
    await page.screenshot({ path: info.outputPath("booking-confirmed.png"), fullPage: true });

    // The rest of the booking's life, driven from the stand-in.
    const oldUid = booked.booking_uid as string;
    await standinAction(page, oldUid, "reschedule");
    await expect
      .poll(async () => {
        const lead = await bookingOf(id);
        return [lead.stage, lead.reschedule_count, lead.booking_uid !== oldUid];
      })
      .toEqual(["rescheduled", 1, true]);

    const newUid = (await bookingOf(id)).booking_uid as string;
    await standinAction(page, newUid, "cancel", { reason: "Found another slot elsewhere" });
    await expect
      .poll(async () => {
        const lead = await bookingOf(id);
        return [lead.stage, lead.cancellation_reason];
      })
      .toEqual(["cancelled", "Found another slot elsewhere"]);

    expect(await problems()).toEqual([]);
  });
});

test.describe("when the embed cannot be shown", () => {
  test("the script is unavailable: the plain link, prefilled, with the submission id", async ({ page }, info) => {
    const id = await submitLead(page, "Mia Script");
    const problems = await watchForProblems(page, {
      expectedConsoleErrors: [/Failed to load resource/],
    });
    await page.route("**/embed/embed.js", (route) => route.abort());
    await page.reload();
    await waitForHydration(page);

    await expect(fallback(page)).toBeVisible();
    await expect(fallback(page)).toContainText("could not be shown");
    const href = await fallback(page).getByRole("link").getAttribute("href");
    const link = new URL(href as string);
    expect(link.origin + link.pathname).toBe(`${standinUrl()}/demo/intro`);
    expect(link.searchParams.get("name")).toBe("Mia Script");
    expect(link.searchParams.get("email")).toBe("lena.horvat@example.com");
    expect(link.searchParams.get("metadata[submissionId]")).toBe(id);
    await expect(page.locator(".booker")).toBeHidden();
    expect(await problems()).toEqual([]);
    await page.screenshot({ path: info.outputPath("booking-fallback.png"), fullPage: true });

    // The link really books: the stand-in's own page carries the metadata to the webhook.
    await page.unroute("**/embed/embed.js");
    await fallback(page).getByRole("link").click();
    await page.getByTestId("slot").first().click();
    await page.getByTestId("confirm").click();
    await expect.poll(async () => (await bookingOf(id)).stage).toBe("booked");
  });

  test("the link is unknown to Cal.com: the plain link", async ({ page }) => {
    const problems = await watchForProblems(page);
    // The booker frame is answered by the stand-in's page for a link it does not know.
    await page.route("**/demo/intro/embed?**", async (route) => {
      const url = new URL(route.request().url());
      url.pathname = "/nobody/nothing/embed";
      await route.fulfill({ response: await route.fetch({ url: url.toString() }) });
    });
    await submitLead(page, "Noah Unknown");
    await expect(fallback(page)).toBeVisible();
    await expect(page.locator(".booker")).toHaveAttribute("data-embed", "failed");
    await expect(fallback(page).getByRole("link")).toHaveAttribute("href", /metadata%5BsubmissionId%5D=/);
    expect(await problems()).toEqual([]);
  });

  test("nothing ready within a few seconds: the plain link is offered too", async ({ page }) => {
    const id = await submitLead(page, "Sam Slow");
    // The embed script never arrives (a stalled network), so the booker never says it is ready.
    await page.route("**/embed/embed.js", () => {});
    await page.reload();
    await waitForHydration(page);
    await expect(fallback(page)).toBeHidden();
    await expect(fallback(page)).toBeVisible({ timeout: 10_000 });
    await expect(fallback(page)).toContainText("taking a while");
    await expect(fallback(page).getByRole("link")).toHaveAttribute("href", new RegExp(id));
  });

  test("without JavaScript the plain link is there from the start", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const id = await seedLead("Nora Noscript");
    await page.goto(`/book/${id}`);
    await expect(fallback(page)).toBeVisible();
    await expect(fallback(page).getByRole("link")).toHaveAttribute("href", new RegExp(id));
    await context.close();
  });
});

test.describe("only the database confirms a booking", () => {
  test("a URL parameter confirms nothing", async ({ page }) => {
    const id = await submitLead(page, "Ivy Param");
    await page.goto(`/book/${id}?bookingConfirmed=true&uid=abc&booked=1`);
    await waitForHydration(page);
    await expect(page.locator(".booker")).toHaveAttribute("data-embed", "ready");
    await expect(status(page)).toBeEmpty();
    await expect(page.getByText("You're booked")).toHaveCount(0);
  });

  test("a forged bookingSuccessfulV2 message never shows a booking", async ({ page }) => {
    await page.clock.install();
    const id = await submitLead(page, "Finn Forged");
    await expect(page.locator(".booker")).toHaveAttribute("data-embed", "ready");

    // The page's question to the server about the forged booking, answered: not booked.
    const answered = page.waitForResponse(
      (r) =>
        r.request().method() === "GET" &&
        r.url().includes("/api/booking/confirmation?") &&
        new URL(r.url()).searchParams.get("uid") === "forgedForgedForged0001",
    );
    await page.evaluate(() => {
      window.postMessage(
        {
          originator: "CAL",
          type: "bookingSuccessfulV2",
          namespace: "booking",
          fullType: "CAL:booking:bookingSuccessfulV2",
          data: {
            uid: "forgedForgedForged0001",
            title: "Intro",
            startTime: "2026-12-01T09:00:00.000Z",
            endTime: "2026-12-01T09:30:00.000Z",
            eventTypeId: 1,
            status: "ACCEPTED",
            paymentRequired: false,
            isRecurring: false,
          },
        },
        "*",
      );
    });
    await expect(status(page)).toContainText("Confirming your booking…");
    // Long past the page's patience: it says an e-mail will follow, never "booked".
    await page.clock.fastForward(25_000);
    await expect(status(page)).toContainText("being confirmed");
    await expect(status(page)).toContainText("e-mail");
    const answer = await answered;
    expect(answer.status()).toBe(200);
    expect(await answer.json()).toBeNull();
    await expect(page.getByText("You're booked")).toHaveCount(0);
    expect((await bookingOf(id)).stage).toBe("invited");
  });
});

test("no policy violations on the 404 page of an unknown booking", async ({ page }) => {
  const problems = await watchForProblems(page, {
    expectedConsoleErrors: [/status of 404/],
  });
  const response = await page.goto("/book/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await waitForHydration(page);
  await expect(page.getByRole("link", { name: "Go to the start" })).toBeVisible();
  expect(await problems()).toEqual([]);
});
