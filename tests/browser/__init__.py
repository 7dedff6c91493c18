"""Real-browser tests: headless Chromium against the built site (marker `browser`)."""
