"""Channel group names of the forums (one helper, so publisher and consumers agree)."""


def topic_group(topic_id: int) -> str:
    """The group every socket watching a topic joins."""
    return f"forums.topic.{int(topic_id)}"


def forum_group(forum_id: int) -> str:
    """The group every socket watching a forum's topic list joins (new topics, reply counts, locks)."""
    return f"forums.forum.{int(forum_id)}"
