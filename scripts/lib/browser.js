/*
 * Debian's Chromium for the end-to-end tests and screenshots, driven by
 * playwright-core (which never downloads a browser of its own here).
 */
const fs = require('node:fs');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Fails early, before a portal is started, when Chromium is not installed. */
function requireChromium() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install the Debian package "chromium" (apt-get install -y chromium)`,
    );
  }
}

/** A headless Chromium without the background traffic a test does not want. */
function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

module.exports = { requireChromium, launchChromium };
