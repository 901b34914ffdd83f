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

/// Installed in every page before its own scripts: keeps the page's uncaught errors, and every
/// WebSocket message it receives, so that a test can check what reached the page itself.
const WATCH: &str = r#"
window.__errors = [];
addEventListener('error', (e) => window.__errors.push(`${e.message} ${e.filename || ''}:${e.lineno || ''}`));
addEventListener('unhandledrejection', (e) => window.__errors.push(`rejection: ${e.reason && e.reason.stack || e.reason}`));
window.__frames = [];
const PageSocket = window.WebSocket;
window.WebSocket = class extends PageSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', (ev) => window.__frames.push(String(ev.data)));
  }
};
"#;

/// Where Chromium is expected (Debian's package), unless `GRONDVORM_CHROMIUM` says otherwise.
fn executable() -> PathBuf {
    std::env::var_os("GRONDVORM_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// How long one browser test may take, waiting included, before the whole run is stopped: a
/// browser that stops answering must fail the run, not hold it until CI gives up on it.
const TURN_LIMIT: Duration = Duration::from_secs(8 * 60);

/// A test's turn with the browsers; while it is held, a watchdog ends the run past
/// [`TURN_LIMIT`].
pub struct Turn {
    _lock: tokio::sync::MutexGuard<'static, ()>,
    _done: std::sync::mpsc::Sender<()>,
}

/// One browser test at a time: each starts several Chromium processes, and on a small machine
/// running them side by side only makes every one of them slow.
pub async fn one_at_a_time() -> Turn {
    static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let lock = LOCK.lock().await;
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let test = std::thread::current()
        .name()
        .unwrap_or("a browser test")
        .to_string();
    std::thread::spawn(move || {
        // The sender is dropped when the turn ends; only a turn that never ends times out.
        if finished.recv_timeout(TURN_LIMIT) == Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
            say(&format!(
                "{test} did not finish within {} s: stopping the browser tests",
                TURN_LIMIT.as_secs()
            ));
            std::process::exit(101);
        }
    });
    Turn {
        _lock: lock,
        _done: done,
    }
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
    /// The device's size, set again after a whole-page screenshot (which resets it).
    size: (u32, u32),
    browser: Browser,
    handler: JoinHandle<()>,
    _profile: TempDir,
}

impl Person {
    /// A facilitator's laptop.
    pub async fn laptop(exe: &PathBuf, url: &str) -> Person {
        Self::open(exe, url, 1366, 900).await
    }

    /// The projector in the room.
    pub async fn projector(exe: &PathBuf, url: &str) -> Person {
        Self::open(exe, url, 1920, 1080).await
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
        let page = browser.new_page("about:blank").await.expect("a page opens");
        device_size(&page, width, height).await;
        page.evaluate_on_new_document(WATCH)
            .await
            .expect("the watcher installs");
        page.goto(url).await.expect("the page loads");
        Person {
            page,
            size: (width, height),
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

    /// The page's uncaught errors so far.
    pub async fn errors(&self) -> Vec<String> {
        self.js("window.__errors || []").await
    }

    /// Fails if the page threw anything.
    pub async fn no_errors(&self, page: &str) {
        let errors = self.errors().await;
        assert!(errors.is_empty(), "{page} threw: {errors:?}");
    }

    /// Every WebSocket message the page received so far, as text.
    pub async fn frames(&self) -> String {
        let frames: Vec<String> = self.js("window.__frames || []").await;
        frames.join("\n")
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
        device_size(&self.page, self.size.0, self.size.1).await;
    }

    /// Saves what the screen shows now (not the whole page) under test-artifacts/.
    pub async fn screenshot_view(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-artifacts");
        std::fs::create_dir_all(&dir).unwrap();
        self.page
            .save_screenshot(
                ScreenshotParams::builder().full_page(false).build(),
                dir.join(format!("{name}.png")),
            )
            .await
            .expect("a screenshot");
    }

    /// Closes the browser; one that does not go within a few seconds is killed.
    pub async fn close(mut self) {
        let polite = async {
            let _ = self.browser.close().await;
            let _ = self.browser.wait().await;
        };
        if tokio::time::timeout(Duration::from_secs(10), polite)
            .await
            .is_err()
        {
            let _ = self.browser.kill().await;
        }
        self.handler.abort();
    }
}

/// The window alone does not make a phone: headless windows have a minimum width. The device's
/// own metrics do, and a narrow one is a mobile device (its viewport tag counts).
async fn device_size(page: &Page, width: u32, height: u32) {
    use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
    page.execute(SetDeviceMetricsOverrideParams::new(
        i64::from(width),
        i64::from(height),
        1.0,
        width < 600,
    ))
    .await
    .expect("the device's size is set");
}

/// A file of test-artifacts/.
pub fn artefact(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("test-artifacts")
        .join(name)
}

/// The text of the QR code in a screenshot shrunk `times` over (a phone far from the screen
/// sees that many fewer pixels), or `None` when no QR code can be read in it.
pub fn read_qr(png: &std::path::Path, times: u32) -> Option<String> {
    let img = image::open(png).ok()?.to_luma8();
    let small = image::imageops::resize(
        &img,
        img.width() / times,
        img.height() / times,
        image::imageops::FilterType::Triangle,
    );
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        small.width() as usize,
        small.height() as usize,
        |x, y| small.get_pixel(x as u32, y as u32).0[0],
    );
    let grids = prepared.detect_grids();
    grids
        .first()
        .and_then(|g| g.decode().ok())
        .map(|(_, text)| text)
}

/// Prints past the test harness's output capture, so that a skip is seen without --nocapture.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// axe-core, which CI installs from npm (`.ci/run`): `GRONDVORM_AXE` names the file, else the
/// copy under target/. Without it the accessibility check says so and is skipped, unless the
/// browser tests are required.
fn axe_source() -> Option<String> {
    let path = std::env::var_os("GRONDVORM_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/axe/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) if std::env::var_os("GRONDVORM_REQUIRE_BROWSER").is_some_and(|v| v == "1") => {
            panic!(
                "no axe-core at {}, but GRONDVORM_REQUIRE_BROWSER=1 requires it",
                path.display()
            )
        }
        Err(_) => {
            say(&format!(
                "accessibility check skipped: no axe-core at {}",
                path.display()
            ));
            None
        }
    }
}

impl Person {
    /// axe-core finds no WCAG 2 A or AA violation on the page as it is now.
    pub async fn accessible(&self, what: &str) {
        static AXE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
        let Some(axe) = AXE.get_or_init(axe_source) else {
            return;
        };
        let loaded: bool = self.js("typeof window.axe === 'object'").await;
        if !loaded {
            self.page.evaluate(axe.as_str()).await.expect("axe loads");
        }
        let found: serde_json::Value = self
            .page
            .evaluate(
                "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }) \
                 .then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, \
                   nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + n.failureSummary) })))",
            )
            .await
            .expect("axe runs")
            .into_value()
            .expect("axe's findings");
        assert_eq!(
            found,
            serde_json::json!([]),
            "{what}: accessibility violations"
        );
    }

    /// A phone's page: nothing wider than the screen (no sideways scrolling), and every control
    /// a finger can hit: at least 44 × 44 px (for a radio button or checkbox, its label).
    pub async fn fits_a_phone(&self, what: &str) {
        let wide: serde_json::Value = self
            .js("({ page: document.documentElement.scrollWidth, screen: window.innerWidth })")
            .await;
        assert!(
            wide["page"].as_f64() <= wide["screen"].as_f64(),
            "{what}: the page is wider than the phone: {wide}"
        );
        let small: Vec<String> = self
            .js(
                "(() => { const out = []; \
                 for (const el of document.querySelectorAll('button, select, textarea, summary, input')) { \
                   let target = el; \
                   if (el.type === 'radio' || el.type === 'checkbox') target = el.id && document.querySelector(`label[for='${el.id}']`) || el; \
                   const r = target.getBoundingClientRect(); \
                   if (!r.width || !r.height || getComputedStyle(target).visibility === 'hidden') continue; \
                   const narrow = target.tagName !== 'SUMMARY' && target.tagName !== 'LABEL' && r.width < 44; \
                   if (r.height < 43.5 || narrow) out.push(`${target.tagName}#${target.id || el.id} ${Math.round(r.width)}×${Math.round(r.height)}`); } \
                 return out; })()",
            )
            .await;
        assert!(
            small.is_empty(),
            "{what}: tap targets under 44 px: {small:?}"
        );
    }

    /// The board shows nothing to press or type into: no control at all.
    pub async fn has_no_controls(&self, what: &str) {
        let controls: Vec<String> = self
            .js(
                "[...document.querySelectorAll('button, input, select, textarea, a[href], details, summary, [contenteditable], [onclick]')] \
                 .map(e => e.outerHTML.slice(0, 80))",
            )
            .await;
        assert!(
            controls.is_empty(),
            "{what}: the board shows controls: {controls:?}"
        );
    }
}

/// A TCP proxy in front of the server that can be frozen: while frozen it passes nothing in
/// either direction and closes nothing, as a network that has gone away without a word.
pub struct Proxy {
    pub addr: std::net::SocketAddr,
    frozen: tokio::sync::watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// Copies one direction of a connection, holding everything while the link is frozen.
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut frozen: tokio::sync::watch::Receiver<bool>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if frozen.wait_for(|f| !*f).await.is_err() || to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

impl Proxy {
    /// A proxy to `server`, passing everything until frozen.
    pub async fn to(server: std::net::SocketAddr) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (frozen, watch) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(upstream) = tokio::net::TcpStream::connect(server).await else {
                    continue;
                };
                let (cr, cw) = client.into_split();
                let (ur, uw) = upstream.into_split();
                tokio::spawn(pipe(cr, uw, watch.clone()));
                tokio::spawn(pipe(ur, cw, watch.clone()));
            }
        });
        Proxy { addr, frozen, task }
    }

    /// The address of a page through the proxy.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The network goes away (or comes back).
    pub fn freeze(&self, frozen: bool) {
        self.frozen.send_replace(frozen);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The checks of one moment in a room, and its screenshots (`{prefix}-{board,phone,laptop}-
/// {moment}-{lang}.png`): the board shows no control and fits the projector, the phone fits
/// without sideways scrolling, and no page has an error or fails axe-core.
pub async fn look_at(
    prefix: &str,
    moment: &str,
    lang: &str,
    board: &Person,
    phone: &Person,
    laptop: &Person,
) {
    board.has_no_controls(moment).await;
    phone.fits_a_phone(&format!("{moment} ({lang})")).await;
    for (p, who) in [(laptop, "laptop"), (board, "board"), (phone, "phone")] {
        p.no_errors(&format!("{who} in {moment}")).await;
        p.accessible(&format!("{who} in {moment} ({lang})")).await;
    }
    let fits: serde_json::Value = board
        .js("({ page: document.documentElement.scrollHeight, screen: window.innerHeight })")
        .await;
    board
        .screenshot_view(&format!("{prefix}-board-{moment}-{lang}"))
        .await;
    assert!(
        fits["page"].as_f64() <= fits["screen"].as_f64(),
        "{moment}: the board is taller than the projector: {fits}"
    );
    phone
        .screenshot_view(&format!("{prefix}-phone-{moment}-{lang}"))
        .await;
    phone
        .screenshot(&format!("{prefix}-phone-{moment}-{lang}-full"))
        .await;
    laptop
        .screenshot(&format!("{prefix}-laptop-{moment}-{lang}"))
        .await;
}
