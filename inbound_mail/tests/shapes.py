"""E-mails as real mail clients write replies (quoting styles, HTML-only, signatures), and hostile ones."""

from email.message import EmailMessage
from email.utils import formatdate

NEW_TEXT = "Thursday at four works for me.\n\nCould we look at the second paragraph of my statement?"


def wire(message: EmailMessage) -> bytes:
    """As a mail server sends it: every line ends in CRLF (smtplib sends bytes as they are)."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def _message(sender, to, subject="Re: New message from Doreen: Getting to know each other", message_id=None):
    message = EmailMessage()
    message["From"] = f"Sam <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate()
    message["Message-ID"] = message_id or f"<{abs(hash((sender, to, subject, NEW_TEXT)))}@mail.example.org>"
    return message


def gmail(sender, to, in_reply_to="", message_id=None) -> bytes:
    message = _message(sender, to, message_id=message_id)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    quoted = '> Hello Sam,\n>\n> Doreen wrote to you in "Getting to know each other".\n'
    text = f"{NEW_TEXT}\n\nOn Tue, 14 Apr 2026 at 11:05, Waymark <{to}> wrote:\n\n{quoted}"
    html = (f"<div dir=\"ltr\">{NEW_TEXT.replace(chr(10), '<br>')}</div><br><div class=\"gmail_quote\">"
            f"<div class=\"gmail_attr\">On Tue, 14 Apr 2026 at 11:05, Waymark &lt;{to}&gt; wrote:<br></div>"
            "<blockquote class=\"gmail_quote\">Hello Sam,</blockquote></div>")  # fmt: skip
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return wire(message)


def outlook(sender, to, message_id=None) -> bytes:
    message = _message(sender, to, message_id=message_id)
    text = (
        f"{NEW_TEXT}\n\nKind regards,\nSam\n\n________________________________\nFrom: Waymark <{to}>\n"
        "Sent: Tuesday, April 14, 2026 11:05 AM\nTo: Sam <sam@example.org>\n"
        "Subject: New message from Doreen: Getting to know each other\n\nHello Sam,\n"
    )
    message.set_content(text)
    return wire(message)


def apple_mail(sender, to, message_id=None) -> bytes:
    message = _message(sender, to, message_id=message_id)
    text = f"{NEW_TEXT}\n\nSent from my iPhone\n\n> On 14 Apr 2026, at 11:05, Waymark <{to}> wrote:\n>\n> Hello Sam,\n"
    message.set_content(text)
    return wire(message)


def html_only(sender, to, message_id=None) -> bytes:
    message = _message(sender, to, message_id=message_id)
    body = NEW_TEXT.replace("\n\n", "</p><p>")
    html = (f"<html><head><style>p {{color: red}}</style><script>alert(1)</script></head><body><p>{body}</p>"
            f"<div>On Tue, 14 Apr 2026 at 11:05, Waymark &lt;{to}&gt; wrote:</div>"
            "<blockquote>Hello Sam,</blockquote></body></html>")  # fmt: skip
    message.set_content(html, subtype="html")
    return wire(message)


def with_signature(sender, to, message_id=None) -> bytes:
    message = _message(sender, to, message_id=message_id)
    message.set_content(f"{NEW_TEXT}\n\n-- \nSam Example\nYear 12, Riverside School\n")
    return wire(message)


SHAPES = {"gmail": gmail, "outlook": outlook, "apple_mail": apple_mail, "html_only": html_only,
          "signature": with_signature}  # fmt: skip


def plain(sender, to, text=NEW_TEXT, message_id=None, subject="Re: our conversation", **headers) -> bytes:
    message = _message(sender, to, subject=subject, message_id=message_id)
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return wire(message)


def with_attachment(sender, to, message_id=None) -> bytes:
    message = _message(sender, to, message_id=message_id)
    message.set_content(NEW_TEXT)
    message.add_attachment(b"%PDF-1.4 not really", maintype="application", subtype="pdf", filename="cv.pdf")
    return wire(message)


def nested(sender, to, depth=60) -> bytes:
    """A multipart inside a multipart, `depth` times: no client writes this; a parser bomb does."""
    head = f"From: {sender}\r\nTo: {to}\r\nSubject: deep\r\nMessage-ID: <deep{depth}@mail.example.org>\r\n"
    head += "MIME-Version: 1.0\r\n"
    body = "text"
    for level in range(depth):
        boundary = f"b{level}"
        body = (f"Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\n{body}\r\n"
                f"--{boundary}--\r\n")  # fmt: skip
    return (head + body).encode()


def bad_charset(sender, to, message_id="<charset@mail.example.org>") -> bytes:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: =?x-no-such-charset?q?hi?=\r\nMessage-ID: {message_id}\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nThanks \xff\xfe for this, see you on Thursday.\r\n"
    ).encode("latin-1")
