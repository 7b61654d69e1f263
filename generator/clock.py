"""The one reading of today's date. SOURCE_DATE_EPOCH (seconds since 1970, UTC) pins it, as
reproducible-build tools expect, so a build or a test run gives the same warnings on any day."""

from __future__ import annotations

import datetime
import os
import time


def today() -> datetime.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.fromtimestamp(time.time())
