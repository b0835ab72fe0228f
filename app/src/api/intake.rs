//! The intake form: a fresh form to fill, and a submission.

// `submit_intake` takes one argument per form input, so a plain form post fills it; the
// client function the server macro generates from it repeats them all.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::{
    domain::{
        attribution::Attribution,
        intake::{FieldError, IntakeInput},
    },
    error::AppError,
    wire::intake::IntakeFormState,
};

/// A form to fill: a new submission id, signed with the time it was shown. After a rejected
/// no-JavaScript submission, the form as it was sent, with its messages.
#[server(endpoint = "intake/form")]
pub async fn load_intake_form() -> Result<IntakeFormState, AppError> {
    use crate::ssr::{
        intake::{capture::attribution_from, IntakeRejection},
        respond::{app_state, respond},
    };

    respond(async move {
        if let Some(IntakeRejection(state)) = use_context::<IntakeRejection>() {
            return Ok(state);
        }
        let app = app_state()?;
        let parts = use_context::<http::request::Parts>();
        let submission_id = uuid::Uuid::new_v4();
        Ok(IntakeFormState {
            token: app
                .ticket_signer
                .issue(&submission_id, jiff::Timestamp::now()),
            submission_id: submission_id.as_hyphenated().to_string(),
            attribution: parts.as_ref().map(attribution_from).unwrap_or_default(),
            values: IntakeInput::default(),
            errors: Vec::new(),
            expired: false,
        })
    })
    .await
}

/// Takes in a submission. Stored (or already stored): redirects to its booking page.
/// Dropped as spam: redirects to a plain thank-you page. Broken rules: the field messages.
#[server(endpoint = "intake")]
pub async fn submit_intake(
    submission_id: Option<String>,
    token: Option<String>,
    website: Option<String>,
    name: Option<String>,
    email: Option<String>,
    company: Option<String>,
    phone: Option<String>,
    message: Option<String>,
    consent: Option<String>,
    utm_source: Option<String>,
    utm_medium: Option<String>,
    utm_campaign: Option<String>,
    referrer: Option<String>,
    landing_path: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::{
        intake::{submit, SubmitOutcome},
        request::client_context,
        respond::{app_state, respond},
    };

    let form = SubmitIntake {
        submission_id,
        token,
        website,
        name,
        email,
        company,
        phone,
        message,
        consent,
        utm_source,
        utm_medium,
        utm_campaign,
        referrer,
        landing_path,
    }
    .into_submission();
    respond(async move {
        let app = app_state()?;
        let client = client_context(&app).await?;
        match submit(&app, &client, &form, jiff::Timestamp::now()).await? {
            SubmitOutcome::Stored(id) => leptos_axum::redirect(&format!("/book/{id}")),
            SubmitOutcome::Dropped(_) => leptos_axum::redirect("/thanks"),
            SubmitOutcome::Rejected(errors) => return Err(AppError::Validation(errors)),
            SubmitOutcome::Expired { token } => return Err(AppError::FormExpired(token)),
        }
        Ok(())
    })
    .await
}

impl SubmitIntake {
    /// What the person typed, as the domain rules read it.
    pub fn input(&self) -> IntakeInput {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        IntakeInput {
            name: text(&self.name),
            email: text(&self.email),
            company: text(&self.company),
            phone: text(&self.phone),
            message: text(&self.message),
            consent: self.consent.is_some(),
        }
    }

    /// The posted hidden attribution fields.
    pub fn attribution(&self) -> Attribution {
        Attribution {
            utm_source: self.utm_source.clone(),
            utm_medium: self.utm_medium.clone(),
            utm_campaign: self.utm_campaign.clone(),
            referrer: self.referrer.clone(),
            landing_path: self.landing_path.clone(),
        }
    }

    /// The form state to render again after `errors`: same ticket, same values.
    pub fn rejected(&self, errors: Vec<FieldError>) -> IntakeFormState {
        IntakeFormState {
            submission_id: self.submission_id.clone().unwrap_or_default(),
            token: self.token.clone().unwrap_or_default(),
            attribution: self.attribution(),
            values: self.input(),
            errors,
            expired: false,
        }
    }

    /// The form state to render again after its ticket expired: a fresh ticket, same values.
    pub fn renewed(&self, token: String) -> IntakeFormState {
        IntakeFormState {
            token,
            expired: true,
            ..self.rejected(Vec::new())
        }
    }

    /// The submission as the server's intake rules take it.
    #[cfg(feature = "ssr")]
    pub fn into_submission(self) -> crate::ssr::intake::IntakeSubmission {
        crate::ssr::intake::IntakeSubmission {
            input: self.input(),
            attribution: self.attribution(),
            submission_id: self.submission_id.unwrap_or_default(),
            token: self.token.unwrap_or_default(),
            honeypot: self.website.unwrap_or_default(),
        }
    }
}
