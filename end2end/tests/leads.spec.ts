import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { dbTime, query } from "./db";
import { noSidewaysScroll, signIn, waitForHydration, watchForProblems } from "./support";

/** A lead as the form stores it, with a unique email to search for. */
async function seedLead(name: string, email: string): Promise<string> {
  const id = crypto.randomUUID();
  await query(
    `insert into leads (submission_id, name, email, company, phone, message, consented_at, source, stage, created_at, invited_at)
     values ($1, $2, $3, 'Kovač Roofing', '+44 20 7946 0000', 'A quote for a new roof.', $4, 'google', 'invited', $4, $4)`,
    [id, name, email, dbTime(new Date())],
  );
  return id;
}

test("an owner finds a lead, opens its detail, and downloads the view as CSV", async ({ page }, info) => {
  const problems = await watchForProblems(page);
  const email = `lena.${Date.now()}@example.com`;
  const id = await seedLead("Lena Leadlist", email);

  await signIn(page, "/leads");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Leads");
  await page.getByLabel("Search").fill(email);
  await page.getByLabel("Search").press("Enter");
  await expect(page).toHaveURL(/q=/);
  const table = page.getByTestId("lead-table");
  await expect(table).toContainText("Lena Leadlist");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await noSidewaysScroll(page);
  await page.screenshot({ path: info.outputPath("leads-list.png"), fullPage: true });

  const download = page.waitForEvent("download");
  await page.getByTestId("download-csv").click();
  const file = await (await download).path();
  const csv = readFileSync(file, "utf8");
  const [header, ...rows] = csv.trim().split(/\r?\n/);
  expect(header.split(",")).toEqual(expect.arrayContaining(["submission_id", "name", "email", "created_at_local"]));
  expect(rows).toHaveLength(1);
  expect(rows[0]).toContain(id);
  expect(rows[0]).toContain("Lena Leadlist");
  expect(rows[0]).toContain("+44 20 7946 0000");

  await table.getByRole("link", { name: "Lena Leadlist" }).click();
  await expect(page).toHaveURL(new RegExp(`/leads/${id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lena Leadlist");
  await expect(page.getByTestId("lead-fields")).toContainText(email);
  await expect(page.getByTestId("timeline")).toContainText("Submitted the intake form");
  await expect(page.getByTestId("timeline")).toContainText("Reached the booking page");
  await page.screenshot({ path: info.outputPath("lead-detail.png"), fullPage: true });
  expect(await problems()).toEqual([]);
});

test("markup typed into the form runs nowhere: not on the booking page, the lead list or the lead page", async ({ page }, info) => {
  const problems = await watchForProblems(page);
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const email = `hostile.${Date.now()}@example.com`;
  const name = `<img src=x onerror="window.__pwned=1"></title><script>window.__pwned=2</script> Zoë "Q" O'Brien 😀`;
  const message = `<script>window.__pwned=3</script> "quotes" & 'single' <b>bold</b> 👩🏽‍⚕️`;

  await page.goto("/");
  await waitForHydration(page);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("What do you need?").fill(message);
  await page.getByLabel("You may contact me about this request.").check();
  await page.getByRole("button", { name: "Continue to booking" }).click();
  await expect(page).toHaveURL(/\/book\//);
  const id = new URL(page.url()).pathname.split("/").pop() as string;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thanks, <img");

  // The address has only letters, digits, dots and one @: it needs no escaping in a query.
  await signIn(page, `/leads?q=${email}`);
  const table = page.getByTestId("lead-table");
  await expect(table).toContainText(`<img src=x onerror="window.__pwned=1">`);
  await expect(table.locator("img")).toHaveCount(0);
  await table.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/leads/${id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByTestId("lead-fields")).toContainText(message);
  await expect(page.locator("main b, main img")).toHaveCount(0);
  expect((await page.title()).replace(/\u200b/g, "")).toContain(`</title><script>window.__pwned=2</script>`);
  await page.screenshot({ path: info.outputPath("hostile-lead.png"), fullPage: true });

  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await problems()).toEqual([]);
});
