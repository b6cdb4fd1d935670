"""Why a document was refused, in words a 14-year-old can act on."""

from runthru_site.errors import UserError


class DocumentRejected(UserError):
    """A PDF or Word file we will not read (locked, damaged, too big, a scan, macros)."""

    code = "bad_document"


ENCRYPTED = ("This PDF is locked with a password, so we can't read it. Ask for an unlocked copy, "
             "or save it again without a password and upload that.")
DAMAGED_PDF = ("This file is named .pdf but we couldn't read it as a PDF — it may be damaged or only half "
               "downloaded. Download it again, or save the script as a new PDF.")
DAMAGED_DOCX = ("This file is named .docx but we couldn't read it as a Word document — it may be damaged, "
                "or an old .doc file renamed. Open it in Word and use Save As → Word Document (.docx).")
DAMAGED_FDX = ("This file is named .fdx but we couldn't read it as a Final Draft script — it may be damaged. "
               "In Final Draft, use Save As and upload the new file, or export it as a PDF.")
DAMAGED_ODT = ("This file is named .odt but we couldn't read it as an OpenDocument text — it may be damaged. "
               "Open it and use Save As → ODF Text Document (.odt), or save it as a PDF or Word file.")
MACROS = ("This Word file contains macros (little programs), and we don't open those. In Word, use "
          "Save As → Word Document (.docx) to save a copy without them, and upload that.")
TOO_MANY_PAGES = "This document has {pages} pages; RunThru reads scripts of up to {limit} pages."
TOO_BIG = ("This document is too big or too complicated for us to read ({why}). A play script is usually "
           "a few hundred kilobytes; try saving just the script again as a new file.")
TOO_SLOW = ("Reading this document took too long, so we stopped. It may be very large or unusually built; "
            "try saving just the script again as a new PDF or Word file.")
TOO_MUCH_TEXT = "This document holds more than {limit:,} characters of text — far more than a play."
SCAN = ("This PDF is a picture of a script (a scan or a photo), not text, so RunThru can't read it yet. "
        "If you have the Word file or a PDF made from it, upload that instead.")
PICTURE = ("This is a picture, not a script file, so RunThru can't read it yet. "
           "Upload the script as a PDF, a Word file (.docx) or a text file.")
NOTHING = ("We couldn't find any text in this document. If it is a scan or a photo of the pages, "
           "RunThru can't read it yet; upload the Word file or a PDF made from it instead.")
DAMAGED = {"pdf": DAMAGED_PDF, "docx": DAMAGED_DOCX, "fdx": DAMAGED_FDX, "odt": DAMAGED_ODT}
