//! The command line: `serve`, and the subcommands that drive a running stand-in.

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::serve_args::ServeArgs;
use crate::actions::Action;

#[derive(Debug, Parser)]
#[command(name = "calcom-standin", version, about = "A local Cal.com stand-in")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the stand-in (embed script, booker pages, control API, webhooks).
    Serve(ServeArgs),
    /// List the bookings.
    List(Remote),
    /// List the webhook deliveries and their results.
    Deliveries(Remote),
    /// Book a slot as the booker page would.
    Book(BookArgs),
    /// Move a booking to another slot (BOOKING_RESCHEDULED, or BOOKING_REQUESTED if pending).
    Reschedule(ActionArgs),
    /// Cancel a booking (BOOKING_CANCELLED).
    Cancel(ActionArgs),
    /// Confirm a pending booking (BOOKING_CREATED without metadata).
    Confirm(ActionArgs),
    /// Reject a pending booking (BOOKING_REJECTED).
    Reject(ActionArgs),
    /// MEETING_STARTED (wrapped; --flat for the old flat body).
    MeetingStarted(ActionArgs),
    /// MEETING_ENDED (wrapped; --flat for the old flat body).
    MeetingEnded(ActionArgs),
    /// Mark the attendee as a no-show (BOOKING_NO_SHOW_UPDATED).
    NoShow(ActionArgs),
    /// Un-mark the attendee (BOOKING_NO_SHOW_UPDATED, noShow false).
    NoShowUndo(ActionArgs),
    /// AFTER_HOSTS_CAL_VIDEO_NO_SHOW.
    HostNoShow(ActionArgs),
    /// AFTER_GUESTS_CAL_VIDEO_NO_SHOW.
    GuestNoShow(ActionArgs),
    /// Send the held deliveries.
    Flush(FlushArgs),
    /// Send Cal.com's "ping test" webhook.
    Ping(PingArgs),
    /// Set a failure mode (`none` clears both).
    Fail(FailArgs),
    /// Insert many accepted bookings at once, without webhooks (for benchmarks).
    Seed(SeedArgs),
}

impl Command {
    /// The booking action a subcommand stands for, with its arguments.
    pub fn action(&self) -> Option<(Action, &ActionArgs)> {
        let action = match self {
            Command::Reschedule(a) => (Action::Reschedule, a),
            Command::Cancel(a) => (Action::Cancel, a),
            Command::Confirm(a) => (Action::Confirm, a),
            Command::Reject(a) => (Action::Reject, a),
            Command::MeetingStarted(a) => (Action::MeetingStarted, a),
            Command::MeetingEnded(a) => (Action::MeetingEnded, a),
            Command::NoShow(a) => (Action::NoShow, a),
            Command::NoShowUndo(a) => (Action::NoShowUndo, a),
            Command::HostNoShow(a) => (Action::HostNoShow, a),
            Command::GuestNoShow(a) => (Action::GuestNoShow, a),
            _ => return None,
        };
        Some(action)
    }
}

/// Where the running stand-in is.
#[derive(Debug, Args)]
pub struct Remote {
    #[arg(long, env = "STANDIN_URL", default_value = "http://127.0.0.1:4010")]
    pub standin: String,
}

/// How the webhooks of one command are delivered.
#[derive(Debug, Args)]
pub struct DeliveryFlags {
    /// Send the identical bytes twice.
    #[arg(long)]
    pub twice: bool,
    /// Sign with a wrong secret.
    #[arg(long)]
    pub mis_sign: bool,
    /// Keep the delivery in the outbox until `flush`.
    #[arg(long)]
    pub hold: bool,
    /// Send after this many milliseconds (the command answers at once).
    #[arg(long)]
    pub delay_ms: Option<u64>,
    /// Record the delivery but never send it.
    #[arg(long)]
    pub drop: bool,
}

#[derive(Debug, Args)]
pub struct BookArgs {
    #[command(flatten)]
    pub remote: Remote,
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub email: String,
    /// Becomes `metadata[submissionId]`.
    #[arg(long)]
    pub submission_id: Option<String>,
    /// Slot start, e.g. 2026-10-01T09:00:00Z [default: the next free slot].
    #[arg(long)]
    pub start: Option<String>,
    /// The event link [default: the first known link].
    #[arg(long)]
    pub link: Option<String>,
    /// The attendee's time zone.
    #[arg(long)]
    pub time_zone: Option<String>,
    /// The event needs the host's confirmation (BOOKING_REQUESTED, status PENDING).
    #[arg(long)]
    pub requires_confirmation: bool,
    /// Book as if Cal.com lost the metadata: no submission id in the booking or its webhooks.
    #[arg(long)]
    pub lose_metadata: bool,
    #[command(flatten)]
    pub delivery: DeliveryFlags,
}

#[derive(Debug, Args)]
pub struct ActionArgs {
    #[command(flatten)]
    pub remote: Remote,
    /// The booking's uid.
    pub uid: String,
    /// Cancellation or rejection reason.
    #[arg(long)]
    pub reason: Option<String>,
    /// New slot start for `reschedule` [default: the next free slot].
    #[arg(long)]
    pub start: Option<String>,
    /// Old flat MEETING_* body instead of the wrapped one.
    #[arg(long)]
    pub flat: bool,
    /// Send even if the booking's status does not allow the action.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub delivery: DeliveryFlags,
}

#[derive(Debug, Args)]
pub struct FlushArgs {
    #[command(flatten)]
    pub remote: Remote,
    /// Newest first (out of order).
    #[arg(long)]
    pub reverse: bool,
}

#[derive(Debug, Args)]
pub struct PingArgs {
    #[command(flatten)]
    pub remote: Remote,
    #[command(flatten)]
    pub delivery: DeliveryFlags,
}

#[derive(Debug, Args)]
pub struct FailArgs {
    #[command(flatten)]
    pub remote: Remote,
    pub mode: FailSetting,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub remote: Remote,
    /// How many bookings (attendees `seed-<i>@example.com`, back-to-back 30-minute slots).
    #[arg(long)]
    pub count: usize,
    /// `metadata[submissionId]` is this followed by the booking's number [default: seed-].
    #[arg(long)]
    pub metadata_prefix: Option<String>,
    /// The first slot's start, e.g. 2026-10-01T09:00:00Z [default: the next whole hour].
    #[arg(long)]
    pub start: Option<String>,
    /// The event link [default: the first known link].
    #[arg(long)]
    pub link: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailSetting {
    EmbedScript,
    Links,
    /// Clear both failure modes.
    None,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn an_action_subcommand_names_its_action() {
        let cli = Cli::try_parse_from(["calcom-standin", "no-show-undo", "abc", "--twice"])
            .expect("parses");
        let (action, args) = cli.command.action().expect("an action");
        assert_eq!(action, Action::NoShowUndo);
        assert_eq!(args.uid, "abc");
        assert!(args.delivery.twice);
    }
}
