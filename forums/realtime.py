"""Channel group names of the forums (one helper, so publisher and consumers agree)."""


def topic_group(topic_id: int) -> str:
    """The group every socket watching a topic joins."""
    return f"forums.topic.{int(topic_id)}"
