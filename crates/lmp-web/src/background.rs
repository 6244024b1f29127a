//! Work the server does on its own clock: the deadline sweep (a decision
//! without consensus by its deadline rises a level) and the mail sender
//! (notices wait in the outbox; a failed send is retried later, and the
//! change that caused it was committed long before).

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use lmp_store::Store;
use std::time::Duration;

/// Where mail goes and what it says it is from.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://host:port` (lettre's URL form, with user and password if the relay wants them).
    pub smtp_url: String,
    pub from: String,
    /// The address people open lmp at, for the link in each mail.
    pub public_url: String,
}

/// How often each piece of work runs.
#[derive(Debug, Clone, Copy)]
pub struct Intervals {
    pub sweep: Duration,
    pub mail: Duration,
}

impl Default for Intervals {
    fn default() -> Intervals {
        Intervals {
            sweep: Duration::from_secs(60),
            mail: Duration::from_secs(5),
        }
    }
}

/// Start the sweep, and the mail sender when mail is configured. They stop
/// when the runtime does.
pub fn spawn(store: Store, mail: Option<MailConfig>, every: Intervals) -> anyhow_free::Result<()> {
    let sweeper = store.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every.sweep);
        loop {
            tick.tick().await;
            match sweeper.sweep_overdue(jiff::Timestamp::now()).await {
                Ok((0, 0)) => {}
                Ok((rose, flagged)) => tracing::info!(rose, flagged, "deadline sweep"),
                Err(e) => tracing::warn!(error = %e, "deadline sweep failed; trying again next round"),
            }
        }
    });
    if let Some(mail) = mail {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&mail.smtp_url)
            .map_err(|e| format!("--smtp-url {:?}: {e}", mail.smtp_url))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = mail
            .from
            .parse()
            .map_err(|e| format!("--mail-from {:?}: {e}", mail.from))?;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every.mail);
            loop {
                tick.tick().await;
                if let Err(e) = send_due(&store, &transport, &from, &mail.public_url).await {
                    tracing::warn!(error = %e, "reading the mail outbox failed");
                }
            }
        });
    }
    Ok(())
}

/// Send what is due; each failure is recorded against its mail and retried later.
async fn send_due(
    store: &Store,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &lettre::message::Mailbox,
    public_url: &str,
) -> lmp_store::Result<()> {
    for mail in store.mail_due(50).await? {
        let body = format!(
            "{}\n\nOpen it in lmp: {}{}\n",
            mail.body,
            public_url.trim_end_matches('/'),
            mail.link
        );
        let sent = match mail.to_address.parse() {
            Ok(to) => match Message::builder()
                .from(from.clone())
                .to(to)
                .subject(&mail.subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body)
            {
                Ok(message) => transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            },
            Err(e) => Err(format!("{:?}: {e}", mail.to_address)),
        };
        match sent {
            Ok(()) => store.mail_sent(mail.id).await?,
            Err(e) => {
                tracing::warn!(mail = mail.id, error = %e, "mail not sent; it stays in the outbox");
                store.mail_failed(mail.id, mail.attempts, &e).await?;
            }
        }
    }
    Ok(())
}

/// Start-up errors as plain words.
pub mod anyhow_free {
    pub type Result<T> = std::result::Result<T, String>;
}
