import { expect, test, type Page } from "@playwright/test";
import { waitForHydration } from "./support";

// Screenshots of the form's states at desktop and phone width (kept in test-results/ to look
// at), with the check that nothing overflows sideways on a phone.
const widths = [
  { label: "desktop", width: 1280, height: 900 },
  { label: "phone", width: 390, height: 844 },
];

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

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
