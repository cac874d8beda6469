"""The short version of `make soak`: real gunicorn, workers, beat and Redis, with faults.

It asserts counts only (nothing lost, nothing doubled, no server error): timings on two shared cores
say more about the machine than about the code, so they stay in the soak report (docs/reliability.md).
"""

from tools.soak import run_soak


def test_load_with_a_redis_outage_and_a_killed_worker_loses_and_duplicates_nothing():
    report = run_soak(pairs=3, duration=20, redis_outage=5, kill_worker=True)

    assert report.server_errors == 0
    assert report.failed_requests == 0
    assert report.messages_accepted > 50
    assert report.sign_ins > 0  # people signed in again as they went, through the Redis outage too
    assert report.messages_stored == report.messages_accepted
    assert report.workers_killed == 1
    assert report.emails_sent > 0
    assert report.emails_lost == 0
    assert report.emails_duplicated == 0
    assert report.emails_received == report.emails_sent
