//! Integration tests: the real server on port 0, a fresh SQLite file per test, real WebSocket
//! clients. One binary, so the server code is compiled once for all of them.

mod agenda;
mod architecture;
mod bad_input;
mod big;
mod convergence;
mod deletion;
mod deliverable;
mod design;
mod diagnosis;
mod docs;
mod durability;
mod example;
mod followup;
mod helpers;
mod http;
mod identity;
mod input;
mod limits;
mod live;
mod logs;
mod long_log;
mod moderation;
mod nodes;
mod patches;
mod positioning;
mod proposals;
mod room;
mod slow;
mod soak;
