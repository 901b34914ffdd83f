//! Browser tests: the real server and the real page in headless Chromium, one browser per
//! person. See harness.rs for what happens without a browser.

mod connection;
mod diagnosis;
mod followup;
mod harness;
#[allow(dead_code, unused_imports)]
#[path = "../api/helpers/mod.rs"]
mod helpers;
mod recovery;
mod room;
mod session;
