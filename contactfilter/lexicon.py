"""The words the contact filter knows: platforms and what people call them, mail providers, hosts
that hide where a link goes, and the top-level domains of the Internet."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import publicsuffixlist

# Each platform by the names people use for it, written as the normalised text reads them
# (lower case, look-alikes and emoji already turned into letters: the ghost emoji reads "snapchat").
PLATFORMS: dict[str, tuple[str, ...]] = {
    "snapchat": ("snapchat", "snap", "snaps", "sc", "snpchat", "snapchat's", "snapp"),
    "instagram": ("instagram", "insta", "ig", "insta gram", "instagramm", "instagrm", "insta's"),
    "whatsapp": ("whatsapp", "whats app", "what's app", "watsapp", "whatapp", "whatsap", "wapp", "wa"),
    "telegram": ("telegram", "tele", "tg"),
    "discord": ("discord", "dc"),
    "tiktok": ("tiktok", "tik tok", "tt"),
    "kik": ("kik",),
    "facebook": ("facebook", "fb", "messenger"),
    "twitter": ("twitter",),
    "signal": ("signal",),
    "wechat": ("wechat",),
    "skype": ("skype",),
    "threads": ("threads",),
    "bereal": ("bereal",),
    "linktree": ("linktree",),
    "games": ("roblox", "xbox", "psn", "playstation", "steam", "fortnite", "minecraft", "gamertag"),
    "phone": ("facetime", "imessage"),
}
ALIASES: dict[str, str] = {alias: platform for platform, aliases in PLATFORMS.items() for alias in aliases}
# Aliases that are also ordinary words or too short to stand alone: they count only in a strong
# context ("my sc is …", "add me on tt"), never before a bare handle-like word.
WEAK_ALIASES = frozenset({"sc", "tt", "dc", "wa", "tele", "signal", "threads", "steam", "messenger"})
# Platforms whose name is also a verb for "get in touch there": "snap me", "kik me".
VERB_PLATFORMS = frozenset({"snapchat", "snap", "kik", "whatsapp", "whats app", "telegram", "skype", "facetime",
                            "imessage", "insta", "instagram", "discord", "dm", "sc"})  # fmt: skip

# Asking someone to move elsewhere: "add me on …", "hmu on …", "dm me on …".
CONTACT_VERBS = ("add", "dm", "pm", "msg", "message", "text", "txt", "hmu", "hit me up", "hit us up", "follow",
                 "find", "contact", "reach", "chat", "talk", "speak", "ping", "call", "ring", "facetime", "friend",
                 "search", "look me up", "look for me", "message me", "sub", "subscribe", "catch me", "get me",
                 "join me")  # fmt: skip

# Mail providers: the bare name after "at" is an address even without ".com" ("jo.smith at gmail").
# Those that are also ordinary words need a handle-like name or a spelled-out ".com" before they count.
MAIL_PROVIDERS = ("gmail", "googlemail", "hotmail", "yahoo", "ymail", "icloud", "protonmail", "proton", "gmx",
                  "aol", "msn", "btinternet", "virginmedia", "outlook", "live", "mail", "me", "sky")  # fmt: skip
WORDLIKE_PROVIDERS = frozenset({"outlook", "live", "mail", "me", "sky", "proton"})

# Hosts whose links hide where they lead (shorteners) or gather someone's accounts (link in bio):
# held like messenger handles, since a coordinator cannot see what they point to.
LINK_HOSTS = ("bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "cutt.ly", "rebrand.ly",
              "shorturl.at", "tiny.cc", "rb.gy", "linktr.ee", "beacons.ai", "lnk.bio", "carrd.co", "linkin.bio",
              "bio.link", "solo.to", "campsite.bio", "tap.bio", "allmylinks.com", "msha.ke", "linkbio.co",
              "hoo.be", "komi.io", "stan.store", "withkoji.com")  # fmt: skip
MESSENGER_HOSTS = ("wa.me/", "t.me/", "telegram.me/", "discord.gg/", "discord.com/invite/", "snapchat.com/add/",
                   "instagram.com/", "tiktok.com/@", "m.me/", "facebook.com/", "fb.com/", "twitter.com/", "x.com/",
                   "kik.me/", "signal.me/", "threads.net/@", "youtube.com/@", "twitch.tv/")  # fmt: skip

# Top-level domains people write in ordinary sentences without meaning a site: these are found
# as before (the list the filter has always had) ...
COMMON_TLDS = frozenset({"com", "org", "net", "io", "co", "uk", "me", "info", "biz", "app", "dev", "ly", "gg", "tv",
                         "us", "ca", "au", "de", "fr", "es", "it", "nl", "in", "ng", "gh", "ke", "za", "edu", "gov",
                         "xyz", "link", "ai", "ie"})  # fmt: skip
# ... these read as sites wherever they stand ...
SITE_TLDS = frozenset({"site", "online", "store", "shop", "blog", "club", "art", "page", "website", "space", "tech",
                       "portfolio", "social", "chat", "tk", "ml", "ga", "cf", "gq", "cc", "ws", "bio"})  # fmt: skip
# ... and file names are not sites, though .py, .md and .zip are countries' and registries' domains.
FILE_EXTENSIONS = frozenset({"py", "md", "sh", "rs", "pl", "java", "zip", "mov", "txt", "pdf", "doc", "docx", "csv",
                             "json", "html", "htm", "css", "php", "rb", "exe", "jpg", "jpeg", "png", "gif", "mp3",
                             "mp4", "xls", "xlsx", "ppt", "pptx", "js", "ts", "ipynb", "yml", "yaml"})  # fmt: skip


@cache
def all_tlds() -> frozenset[str]:
    """Every top-level domain of the ICANN section of the Public Suffix List (the copy publicsuffixlist
    ships, so nothing is fetched): ~1,450 of them, from .aaa to .zw."""
    data = Path(publicsuffixlist.__file__).with_name("public_suffix_list.dat").read_text(encoding="utf-8")
    icann = data.split("===BEGIN ICANN DOMAINS===", 1)[1].split("===END ICANN DOMAINS===", 1)[0]
    rules = (line.strip() for line in icann.splitlines())
    return frozenset(rule.lstrip("*.!").rsplit(".", 1)[-1] for rule in rules if rule and not rule.startswith("//"))
