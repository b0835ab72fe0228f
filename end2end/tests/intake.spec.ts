import { expect, test, type Page } from "@playwright/test";
import { createHmac } from "node:crypto";
import { query } from "./db";
import { waitForHydration, watchForProblems } from "./support";

type Lead = { name: string; email: string; stage: string; phone: string | null; source: string };

async function fillValid(page: Page, name = "Ana Kovač") {
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill("ana.kovac@example.com");
  await page.getByLabel("Phone").fill("+44 20 7946 0958");
  await page.getByLabel("What do you need?").fill("A quote for a new roof, please.");
  await page.getByLabel("You may contact me about this request.").check();
}

// Gives the form on the page the ticket of a form shown `hours` ago, signed with the server's
// own key (set on the hidden input, so it works with JavaScript off too); answers its id.
async function showTheFormHoursAgo(page: Page, hours: number): Promise<string> {
  const id = await page.locator('input[name="submission_id"]').inputValue();
  const [{ key_hex }] = await query<{ key_hex: string }>(
    "select key_hex from signing_keys where name = 'intake-ticket'",
  );
  const shown = Date.now() - hours * 3600 * 1000;
  const signature = createHmac("sha256", Buffer.from(key_hex, "hex"))
    .update(`intake-ticket|${id}|${shown}`)
    .digest("hex");
  await page
    .locator('input[name="token"]')
    .evaluate((input, token) => ((input as HTMLInputElement).value = token), `${shown}.${signature}`);
  return id;
}

async function leadFrom(url: string): Promise<Lead> {
  const id = new URL(url).pathname.split("/").pop();
  const rows = await query<Lead>(
    "select name, email, stage, phone, source from leads where submission_id = $1",
    [id],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

test.describe("with JavaScript", () => {
  test("a field is checked on blur and cleared once fixed", async ({ page }) => {
    const problems = await watchForProblems(page);
    await page.goto("/?utm_source=Spring");
    await waitForHydration(page);

    const email = page.getByLabel("Email");
    const message = page.locator("#email-error");
    await email.fill("ana@");
    await email.blur();
    await expect(message).toHaveText("Enter an email address like name@example.com");
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(email).toHaveAttribute("aria-describedby", "email-hint email-error");

    await email.fill("ana@example.com");
    await expect(message).toBeEmpty();
    await expect(email).not.toHaveAttribute("aria-invalid", /.*/);
    await expect(email).toHaveAttribute("aria-describedby", "email-hint");
    expect(await problems()).toEqual([]);
  });

  test("a form sent after its ticket expired comes back refreshed with every value, then sends", async ({ page }, info) => {
    const problems = await watchForProblems(page, { expectedConsoleErrors: [/status of 422/] });
    await page.goto("/");
    await waitForHydration(page);
    const id = await showTheFormHoursAgo(page, 25);
    await fillValid(page, "Ana Expired");
    await page.getByRole("button", { name: "Continue to booking" }).click();
    await expect(page.getByText("This form was open for a long time")).toBeVisible();
    await page.screenshot({ path: info.outputPath("expired-form.png"), fullPage: true });
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByLabel("Your name")).toHaveValue("Ana Expired");
    await expect(page.getByLabel("What do you need?")).toHaveValue("A quote for a new roof, please.");
    expect(await query("select 1 from leads where submission_id = $1", [id])).toHaveLength(0);

    await page.getByRole("button", { name: "Continue to booking" }).click();
    await expect(page).toHaveURL(new RegExp(`/book/${id}$`));
    expect((await leadFrom(page.url())).name).toBe("Ana Expired");
    expect(await problems()).toEqual([]);
  });

  test("submitting an incomplete form lists the problems and focuses the first", async ({ page }) => {
    await page.goto("/");
    await waitForHydration(page);
    await page.getByLabel("Email").fill("ana.kovac@example.com");
    await page.getByRole("button", { name: "Continue to booking" }).click();

    const summary = page.getByRole("alert").filter({ hasText: "Please check these fields" });
    await expect(summary).toBeVisible();
    await expect(summary.getByRole("link")).toHaveText([
      "Enter your name",
      "Tell us briefly what you need",
      "Tick the box so we can contact you about your request",
    ]);
    await expect(page.getByLabel("Your name")).toBeFocused();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByLabel("Email")).toHaveValue("ana.kovac@example.com");
  });

  test("pressing submit straight from a wrong field checks the whole form", async ({ page }) => {
    await page.goto("/");
    await waitForHydration(page);
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Continue to booking" }).click();
    await expect(page.getByText("Please check these fields:")).toBeVisible();
    await expect(page.locator("#name-error")).toHaveText("Enter your name");
    await expect(page.locator("#email-error")).toHaveText("Enter an email address like name@example.com");
    await expect(page.getByLabel("Your name")).toBeFocused();
  });

  test("a valid submission lands on the booking page and stores the lead", async ({ page }) => {
    const problems = await watchForProblems(page);
    await page.goto("/?utm_source=Spring");
    await waitForHydration(page);
    await fillValid(page);
    await page.getByRole("button", { name: "Continue to booking" }).click();

    await expect(page).toHaveURL(/\/book\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thanks, Ana");
    const lead = await leadFrom(page.url());
    expect(lead).toMatchObject({
      name: "Ana Kovač",
      email: "ana.kovac@example.com",
      stage: "invited",
      phone: "+442079460958",
      source: "spring",
    });
    expect(await problems()).toEqual([]);
  });

  test("the server's messages appear next to the fields and every value stays", async ({ page }) => {
    await page.goto("/");
    await waitForHydration(page);
    await fillValid(page);
    // The browser's own check passes; the server sees a broken email (as if the client's
    // rules were bypassed) and answers with its messages.
    await page.route("**/api/intake", async (route) => {
      const body = (route.request().postData() ?? "").replace(
        /email=[^&]*/,
        "email=ana%40nowhere",
      );
      await route.continue({ postData: body });
    });
    await page.getByRole("button", { name: "Continue to booking" }).click();

    await expect(page.locator("#email-error")).toHaveText(
      "Enter an email address like name@example.com",
    );
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByLabel("Your name")).toHaveValue("Ana Kovač");
    await expect(page.getByLabel("What do you need?")).toHaveValue("A quote for a new roof, please.");
    await expect(page.getByLabel("You may contact me about this request.")).toBeChecked();
  });

  test("a double click stores one lead", async ({ page }) => {
    await page.goto("/");
    await waitForHydration(page);
    const name = `Double Click ${Date.now()}`;
    await fillValid(page, name);
    await page.getByRole("button", { name: "Continue to booking" }).dblclick();
    await expect(page).toHaveURL(/\/book\//);
    const rows = await query("select submission_id from leads where name = $1", [name]);
    expect(rows).toHaveLength(1);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a rejected form comes back with its messages and every value", async ({ page }) => {
    await page.goto("/");
    await page.getByLabel("Your name").fill("Bo <b>Builder</b>");
    await page.getByLabel("Email").fill("bo@example.com");
    await page.getByLabel("Company").fill("Bo & Co");
    await page.getByLabel("What do you need?").fill("Too short");
    await page.getByLabel("You may contact me about this request.").check();
    const response = page.waitForResponse("**/api/intake");
    await page.getByRole("button", { name: "Continue to booking" }).click();
    expect((await response).status()).toBe(422);

    await expect(page.locator("#message-error")).toHaveText(
      "Write at least 10 characters so we can prepare",
    );
    await expect(page.getByLabel("Your name")).toHaveValue("Bo <b>Builder</b>");
    await expect(page.getByLabel("Email")).toHaveValue("bo@example.com");
    await expect(page.getByLabel("Company")).toHaveValue("Bo & Co");
    await expect(page.getByLabel("What do you need?")).toHaveValue("Too short");
    await expect(page.getByLabel("You may contact me about this request.")).toBeChecked();
    await expect(page.getByRole("alert").filter({ hasText: "Please check these fields" })).toBeVisible();

    await page.getByLabel("What do you need?").fill("Too short to describe, so here is more.");
    await page.getByRole("button", { name: "Continue to booking" }).click();
    await expect(page).toHaveURL(/\/book\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thanks, Bo");
    const lead = await leadFrom(page.url());
    expect(lead.name).toBe("Bo <b>Builder</b>");
  });

  test("a form sent after its ticket expired comes back with every value, then sends", async ({ page }, info) => {
    await page.goto("/");
    const id = await showTheFormHoursAgo(page, 25);
    await fillValid(page, "Bo Expired");
    const response = page.waitForResponse("**/api/intake");
    await page.getByRole("button", { name: "Continue to booking" }).click();
    expect((await response).status()).toBe(422);
    await expect(page.getByText("This form was open for a long time")).toBeVisible();
    await page.screenshot({ path: info.outputPath("expired-form-no-js.png"), fullPage: true });
    await expect(page.getByLabel("Your name")).toHaveValue("Bo Expired");
    await expect(page.getByLabel("What do you need?")).toHaveValue("A quote for a new roof, please.");
    await expect(page.getByLabel("You may contact me about this request.")).toBeChecked();
    expect(await query("select 1 from leads where submission_id = $1", [id])).toHaveLength(0);

    await page.getByRole("button", { name: "Continue to booking" }).click();
    await expect(page).toHaveURL(new RegExp(`/book/${id}$`));
    expect((await leadFrom(page.url())).name).toBe("Bo Expired");
  });
});
