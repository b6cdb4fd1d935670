"""Caps on what reading one document may take. A real school script is far below every one."""

MAX_BYTES = 20 * 1024 * 1024        # the uploaded file itself
MAX_PAGES = 400                      # a long play is 150 pages
MAX_CHARS = 1_500_000                # extracted text; Hamlet is 185 KB
MAX_PAGE_CHARS = 30_000              # one page; a dense page of a play holds about 4,000
MAX_ZIP_MEMBERS = 1_000              # parts inside a .docx
MAX_ZIP_TOTAL = 200 * 1024 * 1024    # all parts of a .docx, unpacked
MAX_ZIP_MEMBER = 60 * 1024 * 1024    # one part, unpacked
MAX_ZIP_RATIO = 200                  # unpacked / packed for a part over 1 MB (text packs about 10:1)
WORKER_SECONDS = 20                  # wall clock for one document, start-up included (400 pages, a busy machine)
WORKER_SLOTS = 2                     # reading processes at once, per web process
WORKER_MEMORY = 512 * 1024 * 1024    # address space of the reading process (it needs about 150 MB)
