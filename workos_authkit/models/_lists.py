"""Named page types."""

from ._common import Page
from .users import User

UserList = Page[User]
