// SPDX-License-Identifier: Apache-2.0
//
// cachecheck: does a cache that sriov wrote read back into sriov-cni v2.10's NetConf as
// sriov-cni's own CmdDel would read it, and is it byte for byte what sriov-cni's
// NetConf.MarshalJSON would have written for the same values?
//
//	cachecheck CACHE [EXPECT]
//
// CACHE is decoded twice: leniently, as sriov-cni does (json.Unmarshal into NetConf), and
// strictly (unknown keys refused), so a misspelt key cannot pass as a zero value. The
// decoded NetConf is then marshalled the way pkg/types.NetConf.MarshalJSON does (both halves
// through map[string]interface{}, merged) and must equal CACHE. EXPECT, a JSON object, holds
// values the cache must have: "OrigVfState" (compared field by field) and any top-level key
// (compared as JSON values; null means the key must be null or absent). Exit 0 when all
// holds, 1 with one line per problem otherwise.
//
// The structs below mirror sriov-cni v2.10.0's pkg/types (NetConf, SriovNetConf, VfState)
// and containernetworking/cni v1.3.0's types.NetConf field by field: names, types, tags.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
)

type ipam struct {
	Type string `json:"type,omitempty"`
}

type dns struct {
	Nameservers []string `json:"nameservers,omitempty"`
	Domain      string   `json:"domain,omitempty"`
	Search      []string `json:"search,omitempty"`
	Options     []string `json:"options,omitempty"`
}

func (d *dns) empty() bool {
	return len(d.Nameservers) == 0 && d.Domain == "" && len(d.Search) == 0 && len(d.Options) == 0
}

type gcAttachment struct {
	ContainerID string `json:"containerID"`
	IfName      string `json:"ifname"`
}

// cniNetConf is containernetworking/cni v1.3.0 types.NetConf (PluginConf).
type cniNetConf struct {
	CNIVersion       string                 `json:"cniVersion,omitempty"`
	Name             string                 `json:"name,omitempty"`
	Type             string                 `json:"type,omitempty"`
	Capabilities     map[string]bool        `json:"capabilities,omitempty"`
	IPAM             ipam                   `json:"ipam,omitempty"`
	DNS              dns                    `json:"dns,omitempty"`
	RawPrevResult    map[string]interface{} `json:"prevResult,omitempty"`
	ValidAttachments []gcAttachment         `json:"cni.dev/valid-attachments,omitempty"`
}

// marshal is types.NetConf's MarshalJSON: an empty DNS is dropped.
func (n *cniNetConf) marshal() ([]byte, error) {
	b, err := json.Marshal(*n)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if n.DNS.empty() {
		delete(m, "dns")
	}
	return json.Marshal(m)
}

// VfState is sriov-cni v2.10.0 pkg/types.VfState.
type VfState struct {
	HostIFName   string
	SpoofChk     bool
	Trust        bool
	AdminMAC     string
	EffectiveMAC string
	Vlan         int
	VlanQoS      int
	VlanProto    int
	MinTxRate    int
	MaxTxRate    int
	LinkState    uint32
	MTU          int
}

// SriovNetConf is sriov-cni v2.10.0 pkg/types.SriovNetConf.
type SriovNetConf struct {
	OrigVfState   VfState
	DPDKMode      bool `json:"-"`
	Master        string
	MAC           string
	MTU           *int
	Vlan          *int    `json:"vlan"`
	VlanQoS       *int    `json:"vlanQoS"`
	VlanProto     *string `json:"vlanProto"`
	DeviceID      string  `json:"deviceID"`
	VFID          int
	MinTxRate     *int   `json:"min_tx_rate"`
	MaxTxRate     *int   `json:"max_tx_rate"`
	SpoofChk      string `json:"spoofchk,omitempty"`
	Trust         string `json:"trust,omitempty"`
	LinkState     string `json:"link_state,omitempty"`
	RuntimeConfig struct {
		Mac string `json:"mac,omitempty"`
	} `json:"runtimeConfig,omitempty"`
	LogLevel string `json:"logLevel,omitempty"`
	LogFile  string `json:"logFile,omitempty"`
}

// NetConf is sriov-cni v2.10.0 pkg/types.NetConf.
type NetConf struct {
	cniNetConf
	SriovNetConf
}

// marshal is sriov-cni v2.10.0 NetConf.MarshalJSON.
func (n *NetConf) marshal() ([]byte, error) {
	a, err := n.cniNetConf.marshal()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(&n.SriovNetConf)
	if err != nil {
		return nil, err
	}
	am := map[string]interface{}{}
	if err := json.Unmarshal(a, &am); err != nil {
		return nil, err
	}
	bm := map[string]interface{}{}
	if err := json.Unmarshal(b, &bm); err != nil {
		return nil, err
	}
	for k, v := range am {
		bm[k] = v
	}
	return json.Marshal(bm)
}

var problems int

func problem(format string, args ...interface{}) {
	fmt.Printf("cachecheck: "+format+"\n", args...)
	problems++
}

func main() {
	if len(os.Args) != 2 && len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: cachecheck CACHE [EXPECT]")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Println("cachecheck:", err)
		os.Exit(1)
	}

	// As sriov-cni's LoadConfFromCache reads it.
	var n NetConf
	if err := json.Unmarshal(data, &n); err != nil {
		problem("sriov-cni cannot parse it: %v", err)
		os.Exit(1)
	}
	// Strictly: every key must be one of the structure's.
	strict := json.NewDecoder(bytes.NewReader(data))
	strict.DisallowUnknownFields()
	var s NetConf
	if err := strict.Decode(&s); err != nil {
		problem("strict decode: %v", err)
	}
	// Exactly as sriov-cni writes it.
	again, err := n.marshal()
	if err != nil {
		problem("marshal: %v", err)
	} else if !bytes.Equal(again, data) {
		problem("not what sriov-cni v2.10 writes for the same values:\n  have %s\n  want %s",
			data, again)
	}

	if len(os.Args) == 3 {
		check(&n, data, os.Args[2])
	}
	if problems > 0 {
		os.Exit(1)
	}
	fmt.Printf("cachecheck: %s: ok (OrigVfState %+v)\n", os.Args[1], n.OrigVfState)
}

func check(n *NetConf, data []byte, expectFile string) {
	raw, err := os.ReadFile(expectFile)
	if err != nil {
		problem("%v", err)
		return
	}
	var want map[string]json.RawMessage
	if err := json.Unmarshal(raw, &want); err != nil {
		problem("expectations: %v", err)
		return
	}
	var have map[string]json.RawMessage
	if err := json.Unmarshal(data, &have); err != nil {
		problem("%v", err)
		return
	}
	for k, w := range want {
		if k == "OrigVfState" {
			var ws VfState
			dec := json.NewDecoder(bytes.NewReader(w))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&ws); err != nil {
				problem("expected OrigVfState: %v", err)
				continue
			}
			if !reflect.DeepEqual(ws, n.OrigVfState) {
				problem("OrigVfState is %+v, want %+v", n.OrigVfState, ws)
			}
			continue
		}
		var wv, hv interface{}
		_ = json.Unmarshal(w, &wv)
		if h, ok := have[k]; ok {
			_ = json.Unmarshal(h, &hv)
		}
		if !reflect.DeepEqual(wv, hv) {
			problem("%s is %s, want %s", k, have[k], w)
		}
	}
}
