//! Browser tests: the real server and the real page in headless Chromium, one browser per
//! person. See harness.rs for what happens without a browser.

mod harness;
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;
mod session;
