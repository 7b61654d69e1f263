<?xml version="1.0" encoding="utf-8"?>
<!-- Shows feed.xml in a browser as a page explaining what a feed is, with its latest entries.
     Feed readers ignore it. Everything it uses is the site's own. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="no"/>
<xsl:template match="/atom:feed">
<html lang="{@xml:lang}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'none'"/>
<meta name="color-scheme" content="light dark"/>
<title>Feed: <xsl:value-of select="atom:title"/></title>
<link rel="stylesheet" href="assets/style.css"/>
<link rel="icon" href="assets/favicon.svg" type="image/svg+xml"/>
</head>
<body>
<header class="site-header"><div class="wrap"><a class="site-title" href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></div></header>
<main id="main" class="wrap">
<h1>This is a web feed</h1>
<div class="feed-note">
<p>A feed is a list of a site's latest updates that a news-reader app checks for you, so you hear of changes without visiting. To follow this site, copy this page's address from the address bar into a feed reader (many are free, on phones and computers).</p>
<p>It carries the latest status changes, corrections and dated events. <a href="{atom:link[@rel='alternate']/@href}">Read every change on the site</a>.</p>
</div>
<h2>Latest entries</h2>
<ol class="changes">
<xsl:for-each select="atom:entry">
<li class="change">
<time datetime="{substring(atom:updated, 1, 10)}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time>
<div><p class="change-title"><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></p></div>
</li>
</xsl:for-each>
</ol>
</main>
</body>
</html>
</xsl:template>
</xsl:stylesheet>
