// The sign-off PDF: the report page printed by headless Chromium (playwright-core driving Debian's
// /usr/bin/chromium). Print CSS keeps tables and charts whole and lets sections flow on; the charts stay vector SVG.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export class ChromiumError extends Error {}

export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
  } catch (err) {
    throw new ChromiumError(
      `cannot start Chromium at ${chromiumPath()} (set CHROMIUM_PATH, or: bash scripts/install-system-deps.sh chromium): ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

/** The page as a PDF (A4, backgrounds printed, a footer with the page number). */
export async function htmlToPdf(html: string, footer: string): Promise<Buffer> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // The page is self-contained: nothing to wait for once it is parsed.
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:8px;width:100%;text-align:center;color:#555">${footer.replace(/[<>&]/g, '')} · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`,
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
  } finally {
    await browser.close();
  }
}
