//! Headless Chromium for the browser tests: one browser per person (each with its own
//! storage, as on their own device), and small helpers that wait on what the page shows —
//! never on the clock.
//!
//! Without Chromium the tests say that they were skipped and why. With
//! `GRONDVORM_REQUIRE_BROWSER=1` (CI sets it) a missing browser is a failure instead.

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::page::{Page, ScreenshotParams};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use std::path::PathBuf;
use std::time::Duration;
use tempfile::TempDir;
use tokio::task::JoinHandle;

/// How long a page may take to show what a test waits for.
pub const WAIT: Duration = Duration::from_secs(20);

/// Where Chromium is expected (Debian's package), unless `GRONDVORM_CHROMIUM` says otherwise.
fn executable() -> PathBuf {
    std::env::var_os("GRONDVORM_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// One browser test at a time: each starts several Chromium processes, and on a small machine
/// running them side by side only makes every one of them slow.
pub async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    LOCK.lock().await
}

/// `None` (after saying so) when there is no browser and none is required.
pub fn available() -> Option<PathBuf> {
    let exe = executable();
    if exe.exists() {
        return Some(exe);
    }
    let why = format!(
        "browser tests skipped: no Chromium at {} (install Debian's chromium, or set GRONDVORM_CHROMIUM)",
        exe.display()
    );
    if std::env::var_os("GRONDVORM_REQUIRE_BROWSER").is_some_and(|v| v == "1") {
        panic!("{why}, but GRONDVORM_REQUIRE_BROWSER=1 requires them");
    }
    say(&why);
    None
}

/// One person's browser.
pub struct Person {
    pub page: Page,
    browser: Browser,
    handler: JoinHandle<()>,
    _profile: TempDir,
}

impl Person {
    /// A facilitator's board on a projector.
    pub async fn board(exe: &PathBuf, url: &str) -> Person {
        Self::open(exe, url, 1366, 900).await
    }

    /// A representative's phone.
    pub async fn phone(exe: &PathBuf, url: &str) -> Person {
        Self::open(exe, url, 390, 844).await
    }

    /// Starts a browser of its own, with a window of this size, and opens `url`.
    pub async fn open(exe: &PathBuf, url: &str, width: u32, height: u32) -> Person {
        let profile = TempDir::new().unwrap();
        let config = BrowserConfig::builder()
            .chrome_executable(exe)
            .no_sandbox()
            .user_data_dir(profile.path())
            .window_size(width, height)
            .viewport(Viewport {
                width,
                height,
                ..Viewport::default()
            })
            .args([
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .build()
            .unwrap();
        let (browser, mut events) = Browser::launch(config).await.expect("Chromium starts");
        let handler = tokio::spawn(async move { while events.next().await.is_some() {} });
        let page = browser.new_page(url).await.expect("a page opens");
        Person {
            page,
            browser,
            handler,
            _profile: profile,
        }
    }

    /// Evaluates a JavaScript expression and returns its value.
    pub async fn js<T: DeserializeOwned>(&self, expression: &str) -> T {
        self.page
            .evaluate(expression)
            .await
            .unwrap_or_else(|e| panic!("evaluating {expression}: {e}"))
            .into_value()
            .unwrap_or_else(|e| panic!("reading the value of {expression}: {e}"))
    }

    /// Waits until a JavaScript expression is true.
    pub async fn until(&self, expression: &str, what: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let ok = self
                .page
                .evaluate(format!("Boolean({expression})"))
                .await
                .ok()
                .and_then(|v| v.into_value::<bool>().ok())
                .unwrap_or(false);
            if ok {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                let text: String = self
                    .js("document.body ? document.body.innerText : ''")
                    .await;
                panic!("the page never showed {what} ({expression}); it shows:\n{text}");
            }
            // Let the page work; the condition is checked again after its next tasks.
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until an element matching `selector` exists.
    pub async fn element(&self, selector: &str) {
        let q = serde_json::to_string(selector).unwrap();
        self.until(&format!("document.querySelector({q})"), selector)
            .await;
    }

    /// Types into a field the way a person would, so the page's input handlers run.
    pub async fn fill(&self, selector: &str, value: &str) {
        self.element(selector).await;
        let (q, v) = (
            serde_json::to_string(selector).unwrap(),
            serde_json::to_string(value).unwrap(),
        );
        let _: bool = self
            .js(&format!(
                "(() => {{ const e = document.querySelector({q}); e.focus(); e.value = {v}; \
                 e.dispatchEvent(new Event('input', {{bubbles: true}})); \
                 e.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()"
            ))
            .await;
    }

    /// Clicks an element once it can be clicked: a person waits for a greyed-out button too
    /// (the page enables it when the state it needs has arrived).
    pub async fn click(&self, selector: &str) {
        let q = serde_json::to_string(selector).unwrap();
        self.until(
            &format!(
                "(() => {{ const e = document.querySelector({q}); \
                 return e && !e.disabled && e.getAttribute('aria-disabled') !== 'true'; }})()"
            ),
            &format!("{selector}, enabled"),
        )
        .await;
        let _: bool = self
            .js(&format!(
                "(() => {{ document.querySelector({q}).click(); return true; }})()"
            ))
            .await;
    }

    /// Reloads the page, as a person pressing F5.
    pub async fn reload(&self) {
        self.page.reload().await.expect("the page reloads");
    }

    /// The text the page shows.
    pub async fn text(&self) -> String {
        self.js("document.body.innerText").await
    }

    /// Saves a screenshot under test-artifacts/ (ignored by git).
    pub async fn screenshot(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-artifacts");
        std::fs::create_dir_all(&dir).unwrap();
        self.page
            .save_screenshot(
                ScreenshotParams::builder().full_page(true).build(),
                dir.join(format!("{name}.png")),
            )
            .await
            .expect("a screenshot");
    }

    /// Closes the browser.
    pub async fn close(mut self) {
        let _ = self.browser.close().await;
        let _ = self.browser.wait().await;
        self.handler.abort();
    }
}

/// Prints past the test harness's output capture, so that a skip is seen without --nocapture.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
