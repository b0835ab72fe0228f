//! Browser-only code (the `hydrate` build): what needs the DOM or JavaScript APIs directly.

pub mod cal_embed;
pub mod live;
pub mod timers;
