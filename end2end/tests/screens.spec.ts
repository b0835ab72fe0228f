import { expect, test } from "@playwright/test";
import { standinUrl } from "./project";
import { noSidewaysScroll, waitForHydration } from "./support";

// Screenshots of the form's states and of the other pages at desktop and phone width (kept in
// test-results/ to look at), with the check that nothing overflows sideways on a phone.
const widths = [
  { label: "desktop", width: 1280, height: 900 },
  { label: "phone", width: 390, height: 844 },
];

for (const { label, width, height } of widths) {
  test(`the form's empty, error and filled states fit a ${label} screen`, async ({ page }, info) => {
    await page.setViewportSize({ width, height });
    await page.goto("/");
    await waitForHydration(page);
    await noSidewaysScroll(page);
    await page.screenshot({ path: info.outputPath(`${label}-empty.png`), fullPage: true });

    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Continue to booking" }).click();
    await expect(page.locator("#email-error")).not.toBeEmpty();
    await expect(page.getByText("Please check these fields:")).toBeVisible();
    await expect(page.getByLabel("Your name")).toHaveAttribute("aria-invalid", "true");
    await noSidewaysScroll(page);
    await page.screenshot({ path: info.outputPath(`${label}-errors.png`), fullPage: true });

    await page.getByLabel("Your name").fill("Ana Kovač");
    await page.getByLabel("Email").fill("ana.kovac@example.com");
    await page.getByLabel("What do you need?").fill("A quote for a new roof, please.");
    await page.getByLabel("You may contact me about this request.").check();
    await page.getByLabel("Your name").focus();
    await noSidewaysScroll(page);
    await page.screenshot({ path: info.outputPath(`${label}-filled.png`), fullPage: true });
  });
}

for (const { label, width, height } of widths) {
  test(`the thank-you, not-found and sign-in pages and the stand-in fit a ${label} screen`, async ({ page }, info) => {
    await page.setViewportSize({ width, height });
    for (const [name, path] of [
      ["thanks", "/thanks"],
      ["not-found", "/no-such-page"],
      ["signin", "/signin?next=%2Fdashboard"],
    ]) {
      await page.goto(path);
      await waitForHydration(page);
      await noSidewaysScroll(page);
      await page.screenshot({ path: info.outputPath(`${label}-${name}.png`), fullPage: true });
    }
    await page.goto(`${standinUrl()}/standin`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await noSidewaysScroll(page);
    await page.screenshot({ path: info.outputPath(`${label}-standin.png`), fullPage: true });
  });
}

test("the keyboard reaches every field in order, skipping the hidden trap", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  await page.getByLabel("Your name").focus();
  const order: string[] = [];
  for (let i = 0; i < 6; i++) {
    order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName || ""));
    await page.keyboard.press("Tab");
  }
  expect(order).toEqual(["name", "email", "company", "phone", "message", "consent"]);
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("BUTTON");
});
