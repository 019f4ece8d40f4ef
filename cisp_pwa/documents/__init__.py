"""The documents the app makes for people to keep or to show: her passport as a PDF, her data as
a page to read, the page an employer opens from her share link, the Open Badges credentials.

One module per document. A builder takes plain data (the services' dataclasses, names and
values already looked up) and returns the document; it never opens a database session and never
decides who may have it: the service that calls it has done both.
"""
