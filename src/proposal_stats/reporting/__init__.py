"""Reports: the annual and corpus reports' content, charts, the embedded CJK font, and the render (papermill + nbconvert, atomic).
May import: everything below it (``stats``, ``ledger``, ``published``, the top layer); nothing imports it but ``cli`` and notebooks.
"""
