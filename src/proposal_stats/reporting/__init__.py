"""Reports: the annual and corpus reports' content, charts, the embedded CJK font, the render (papermill + nbconvert, atomic) and the explorer's widgets.
May import: everything below it (``stats``, ``ledger``, ``published``, the top layer); nothing imports it but ``cli`` and notebooks.
"""
