"""催办: reminder messages per unit and the channels that carry them (e-mail over SMTP, 企业微信 and
钉钉 group-robot webhooks), with a send log so that a scheduled run never sends the same reminder twice
in a day. Only the standard library: smtplib, ssl, urllib, hmac.

- compose.py: the message text for one unit (its red and yellow tasks with reasons, its stale tasks);
- channels.py: one class per channel, each splitting long messages and backing off on rate limits;
- sendlog.py: the append-only log of sends (JSON Lines) and the once-a-day rule;
- dispatch.py: every reminder through every configured channel, a failed channel reported without
  stopping the others.
"""
