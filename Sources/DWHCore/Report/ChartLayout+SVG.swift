/// A `ChartLayout` as inline SVG: no script, no external reference, sized by its view
/// box so it scales with the page. Every row is a group whose `<title>` holds the full
/// label and value (the tooltip for shortened labels); `data-bars` and `data-value` let a
/// test in a browser check that every bar was drawn.
extension ChartLayout {
    public func svg(id: String) -> String {
        let titleID = HTML.escape(id + "-chart-title")
        var output = "<svg class=\"chart chart-\(kind.rawValue)\" viewBox=\"0 0 \(HTML.number(width)) \(HTML.number(height))\""
        output += " role=\"img\" aria-labelledby=\"\(titleID)\" data-bars=\"\(items.count)\">\n"
        output += "<title id=\"\(titleID)\">\(HTML.escape(title))</title>\n"
        for item in items {
            output += "<g class=\"item\"><title>\(HTML.escape(item.title))</title>"
            output += rect(item.bar, class: "bar color-\(item.colorIndex % 6)", extra: " data-value=\"\(HTML.number(item.value))\"")
            if let swatch = item.swatch { output += rect(swatch, class: "swatch color-\(item.colorIndex % 6)", extra: "") }
            for text in item.texts { output += self.text(text) }
            output += "</g>\n"
        }
        return output + "</svg>"
    }

    private func rect(_ box: Box, class name: String, extra: String) -> String {
        "<rect class=\"\(name)\" x=\"\(HTML.number(box.x))\" y=\"\(HTML.number(box.y))\" width=\"\(HTML.number(box.width))\""
            + " height=\"\(HTML.number(box.height))\"\(extra)/>"
    }

    private func text(_ text: Text) -> String {
        var classes = text.role.rawValue
        if text.inverse { classes += " inverse" }
        var output = "<text class=\"\(classes)\" x=\"\(HTML.number(text.x))\" y=\"\(HTML.number(text.y))\""
        output += " font-size=\"\(HTML.number(text.fontSize))\" text-anchor=\"\(text.anchor.rawValue)\""
        if text.rotated { output += " transform=\"rotate(-90 \(HTML.number(text.x)) \(HTML.number(text.y)))\"" }
        return output + ">\(HTML.escape(text.text))</text>"
    }
}
