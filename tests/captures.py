"""Small hand-written captures, shaped like real ones (menus, bylines, captions, banners)."""

DATED = """Menu
Search
World
Politics
Harbor Bridge Reopens After Two-Year Repair
City engineers finished the work ahead of schedule, and traffic returned to the span on Monday.
By JANE MARLOWE, Transport Correspondent
Nov. 19, 2019 8:03 am ET
Workers remove the last barrier on the bridge deck on Monday morning. (Photo: Sam Ortiz/Harbor Daily)
The Harbor Bridge reopened to traffic on Monday after a two-year repair that replaced most of its steel deck and all of its cables, city officials said.
Mayor Ana Ruiz cut a ribbon at the eastern end of the bridge as the first buses crossed, and thanked the crews who worked through two winters.
Related: Harbor Bridge Repair Falls Behind Schedule
The repair cost the city about 40 million dollars, less than the budget approved by the council in 2017, according to the transport department.
Engineers said the new deck should last at least fifty years with ordinary maintenance, and that the cables will be inspected every spring.
Share
Tweet
Email
Related Articles
Council Approves New Ferry Route
Bus Fares Rise in January
© 2019 Harbor Daily. All rights reserved.
"""

EARLIER = """Harbor Bridge Repair Falls Behind Schedule
By Jane Marlowe
March 3, 2019
The repair of the Harbor Bridge has fallen three months behind schedule because of a shortage of steel cable, the transport department said on Friday.
Officials said the bridge should still reopen before the end of the year, and that the delay would not raise the cost of the work.
The bridge carries about forty thousand vehicles a day, most of them commuters from the eastern suburbs who now take a long detour.
We use cookies to improve your experience on our site. By continuing to use our site you agree to our use of cookies.
Accept
"""

MARKDOWN_HOSTILE = """# Not A Heading: *Stars* & <b>Tags</b> [link](javascript:alert(1))
Subtitle with `code` and _underscores_ that ends like a sentence, so it reads as a dek here.
By Kim Lee
1. This paragraph starts like an ordered list item but is prose from the story itself, and it must stay exactly as written.
- A dash opens this paragraph, <script>alert("x")</script> sits inside it, and {{ jinja }} and {% tag %} follow it too.
!!! note "not an admonition" appears here with more words so that this is a long enough paragraph of body text.
> A quoted line with *emphasis*, __strong__, a backslash \\ and a [bracket] that should all be shown as typed.
"""
