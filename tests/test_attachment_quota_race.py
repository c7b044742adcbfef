"""Two uploads of one user at once cannot both pass the quota (extensions.md section 8), on both databases."""

import io
import threading
from urllib.parse import quote

import webtest

from conftest import Auth, Vault, execute_raw
from oppmini.web.app import make_app

QUOTA = 1000
# Each fits alone; the two together pass the quota by one byte.
SIZES = (600, QUOTA + 1 - 600)
# How long an upload waits for the other to reach its body: long enough for two threads to meet,
# short enough that the one a lock holds back costs the test little.
MEETING_SECONDS = 0.5


class MeetingBody(io.BytesIO):
    """A request body whose first read waits (a moment at most) for the other upload's first read:
    both uploads have then passed their check of the declared size against the quota, unless the
    first one's check held the second back."""

    def __init__(self, data, meeting):
        super().__init__(data)
        self.meeting = meeting
        self.met = False

    def read(self, size=-1):
        if not self.met:
            self.met = True
            try:
                self.meeting.wait()
            except threading.BrokenBarrierError:
                pass  # the other upload waits for this one to finish: go on alone
        return super().read(size)


def test_two_uploads_at_once_past_the_quota_by_one_byte_let_exactly_one_in(config, clock, db_url):
    client = webtest.TestApp(make_app(config.replace(attachment_quota_bytes=QUOTA), clock=clock))
    vault = Vault(client, Auth(client).user("alice"))
    (item,) = vault.add_items({"name": "Passport"})
    meeting = threading.Barrier(len(SIZES), timeout=MEETING_SECONDS)
    answers = [None] * len(SIZES)

    def upload(at, size):
        request = webtest.TestRequest.blank(
            f"/v1/items/{item['id']}/attachments?name={quote(f'part{at}.bin')}",
            method="POST",
            headers={**vault.headers, "Content-Type": "application/octet-stream", "Content-Length": str(size)},
        )
        request.environ["wsgi.input"] = MeetingBody(bytes(size), meeting)
        answers[at] = client.do_request(request, status="*").json

    threads = [threading.Thread(target=upload, args=(at, size)) for at, size in enumerate(SIZES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results = sorted(answer.get("result", answer.get("error")) for answer in answers)
    assert results == ["Quota exceeded!", "success"], answers
    ((used,),) = execute_raw(db_url, "SELECT COALESCE(SUM(size), 0) FROM attachments")
    assert int(used) == next(answer["attachment"]["size"] for answer in answers if "attachment" in answer)
    assert vault.get("attachments")["used"] == int(used) <= QUOTA
