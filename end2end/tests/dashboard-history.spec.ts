import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { dbTime, query } from "./db";
import { noSidewaysScroll, signIn, watchForProblems } from "./support";

// The dashboard of a small known history. The history and the tile texts it must show live in
// one fixture; server/tests/it/dashboard_fixture.rs checks the same texts against the pure
// reference, so what is asserted here is what the reference computes, not a copy by hand.

/** Now minus this much. */
type Ago = { days_ago: number; hours?: number; minutes?: number };

type FixtureLead = {
  name: string;
  created: Ago;
  invited: Ago | null;
  first_booked: Ago | null;
  booking_end: Ago | null;
  stage: string;
  reschedule_count: number;
  last_event: Ago | null;
};

type Fixture = {
  days: number;
  leads: FixtureLead[];
  tiles: Record<string, { value: string; change: string }>;
};

const fixture: Fixture = JSON.parse(
  readFileSync(join(__dirname, "../fixtures/dashboard-history.json"), "utf8"),
);

const MINUTE = 60_000;

function before(now: Date, ago: Ago): Date {
  const minutes = (ago.days_ago * 24 + (ago.hours ?? 0)) * 60 + (ago.minutes ?? 0);
  return new Date(now.getTime() - minutes * MINUTE);
}

type Lead = {
  name: string;
  stage: string;
  created: Date;
  invited: Date | null;
  firstBooked: Date | null;
  bookingEnd: Date | null;
  rescheduleCount: number;
  lastEvent: Date | null;
};

/** Stores a lead of `source` as the form and Cal.com's webhooks would have left it. */
async function storeLead(source: string, lead: Lead): Promise<void> {
  const at = (t: Date | null) => (t ? dbTime(t) : null);
  // A 30-minute slot; its status is what Cal.com last said, for leads that have a slot at all.
  const start = lead.bookingEnd ? new Date(lead.bookingEnd.getTime() - 30 * MINUTE) : null;
  await query(
    `insert into leads (submission_id, name, email, message, consented_at, source, stage,
                        created_at, invited_at, first_booked_at, booking_status, booking_start,
                        booking_end, reschedule_count, last_event_at)
     values ($1, $2, $3, 'Seeded for the dashboard history test.', $4, $5, $6,
             $4, $7, $8, $9, $10, $11, $12, $13)`,
    [
      crypto.randomUUID(),
      lead.name,
      `${lead.name.split(" ")[0].toLowerCase()}@example.com`,
      dbTime(lead.created),
      source,
      lead.stage,
      at(lead.invited),
      at(lead.firstBooked),
      lead.bookingEnd ? lead.stage : null,
      at(start),
      at(lead.bookingEnd),
      lead.rescheduleCount,
      at(lead.lastEvent),
    ],
  );
}

async function storeHistory(source: string, now: Date): Promise<void> {
  const at = (ago: Ago | null) => (ago ? before(now, ago) : null);
  for (const lead of fixture.leads) {
    await storeLead(source, {
      name: lead.name,
      stage: lead.stage,
      created: before(now, lead.created),
      invited: at(lead.invited),
      firstBooked: at(lead.first_booked),
      bookingEnd: at(lead.booking_end),
      rescheduleCount: lead.reschedule_count,
      lastEvent: at(lead.last_event),
    });
  }
}

const tile = (page: Page, key: string) => page.locator(`[data-tile="${key}"]`);

test("every tile shows what the reference computes for a known history, and its prior period", async ({ page }, info) => {
  const problems = await watchForProblems(page);
  const source = `history-${Date.now()}`;
  await storeHistory(source, new Date());
  await signIn(page, `/dashboard?days=${fixture.days}&source=${source}`);

  await expect(page.locator("[data-tile]")).toHaveCount(Object.keys(fixture.tiles).length);
  for (const [key, text] of Object.entries(fixture.tiles)) {
    await expect(tile(page, key).locator(".tile-value"), key).toHaveText(text.value);
    await expect(tile(page, key).locator(".tile-change"), key).toHaveText(text.change);
  }
  await page.screenshot({ path: info.outputPath("dashboard-history.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await noSidewaysScroll(page);
  await page.screenshot({ path: info.outputPath("dashboard-history-phone.png"), fullPage: true });
  expect(await problems()).toEqual([]);
});

test("a single booked lead this week is a visible point on the trend", async ({ page }, info) => {
  const source = `one-lead-${Date.now()}`;
  const now = new Date();
  await storeLead(source, {
    name: "Uma Only",
    stage: "booked",
    created: new Date(now.getTime() - 60 * MINUTE),
    invited: new Date(now.getTime() - 59 * MINUTE),
    firstBooked: new Date(now.getTime() - 30 * MINUTE),
    bookingEnd: new Date(now.getTime() + 2 * 24 * 60 * MINUTE),
    rescheduleCount: 0,
    lastEvent: new Date(now.getTime() - 30 * MINUTE),
  });
  await signIn(page, `/dashboard?days=30&source=${source}`);

  const book = page.locator(".trend svg circle.marker.book");
  await expect(book).toHaveCount(1);
  await expect(book).toBeVisible();
  const box = await book.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(4);
  // No slot ended, so there is no no-show rate to draw.
  await expect(page.locator(".trend svg circle.marker.no-show")).toHaveCount(0);
  await page.locator(".trend").screenshot({ path: info.outputPath("trend-one-lead.png") });
  await page.screenshot({ path: info.outputPath("dashboard-one-lead.png"), fullPage: true });
});
