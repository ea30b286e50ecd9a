"""Every text index: the posts' (posts/search.py: the feed's `q` reads it too), the comments' and the
people's. The migration (0020_search) makes their tables and triggers; reindex.py rebuilds them."""

from ..auth.models import User
from ..comments.models import Comment
from ..fulltext.index import TextIndex
from ..posts.search import POST_INDEX

COMMENT_INDEX = TextIndex("comment_search", Comment.__table__, "comment_id", ("content",), (1.0,), "loopin_search")
# People by username, then full name, as written (no stemming): never by email or enrollment number.
USER_INDEX = TextIndex("user_search", User.__table__, "user_id", ("username", "full_name"), (10.0, 5.0),
                       "loopin_names", stemmed=False)
INDEXES = (POST_INDEX, COMMENT_INDEX, USER_INDEX)
