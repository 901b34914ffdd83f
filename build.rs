// The migrations are embedded by sqlx's `migrate!`, which cannot tell cargo to rebuild when
// one of them changes: this does.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
