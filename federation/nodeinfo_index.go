package federation

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
)

// nodeInfoRelPrefix starts the rel of every NodeInfo schema version a
// discovery document links to (2.0 and 2.1 in the wild; some servers
// write it with https).
const nodeInfoRelPrefix = "nodeinfo.diaspora.software/ns/schema/"

// readNodeInfoIndex reads another server's /.well-known/nodeinfo: a JRD
// whose links name its NodeInfo documents. It returns their addresses,
// and an error when the document names none, as a parked domain or a
// server that is no fediverse server would answer.
func readNodeInfoIndex(body []byte) ([]string, error) {
	var doc struct {
		Links []struct {
			Rel  string `json:"rel"`
			Href string `json:"href"`
		} `json:"links"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, errors.New("the NodeInfo index is not a JSON object with links")
	}
	var hrefs []string
	for _, l := range doc.Links {
		rel := strings.TrimPrefix(strings.TrimPrefix(l.Rel, "http://"), "https://")
		if !strings.HasPrefix(rel, nodeInfoRelPrefix) || rel == l.Rel {
			continue
		}
		u, err := url.Parse(l.Href)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
			continue
		}
		hrefs = append(hrefs, l.Href)
	}
	if len(hrefs) == 0 {
		return nil, errors.New("the NodeInfo index links to no NodeInfo document")
	}
	return hrefs, nil
}

// readNodeInfoSoftware reads the software name of a NodeInfo document
// (any 2.x schema), lowercased as the schema requires it to be written.
func readNodeInfoSoftware(body []byte) (string, error) {
	var doc struct {
		Software struct {
			Name string `json:"name"`
		} `json:"software"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", errors.New("the NodeInfo document is not a JSON object")
	}
	name := strings.ToLower(strings.TrimSpace(doc.Software.Name))
	if name == "" {
		return "", errors.New("the NodeInfo document names no software")
	}
	return name, nil
}
